// Model benchmarks (issue: model parameters): the console's route or action next to a plain ioredis
// script doing the same Redis work.
import type Redis from "ioredis";
import { serverAction, time, type Row } from "@/bench/harness";
import { digestOf } from "@/lib/models/digest";
import { SCAN_CALLS_PER_PAGE } from "@/lib/models/list";
import { toKeyRef } from "@/lib/redis/keys";
import { BIG_MODEL_KEY } from "@/scripts/seed-data";

const RUNS = Number(process.env.BENCH_RUNS ?? 200);

async function getOk(url: string, cookie: string): Promise<void> {
  const response = await fetch(url, { headers: { cookie } });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  await response.arrayBuffer();
}

/** `serverJs`: the standalone server being benchmarked, whose build holds the action ids. */
export async function modelBenchmarks(
  client: Redis,
  base: string,
  cookie: string,
  serverJs: string,
): Promise<Row[]> {
  const bigRef = toKeyRef(BIG_MODEL_KEY);
  const rows: Row[] = [];

  rows.push({
    name: "First page (100 fields) of the 100,000-field model",
    floor: await time(RUNS, () => client.hscanBuffer(BIG_MODEL_KEY, "0", "COUNT", 100)),
    console: await time(RUNS, () => getOk(`${base}/api/models/${bigRef}/fields?count=100`, cookie)),
    target: "≤ 1.5×, < 50 ms",
  });

  // The same Redis work as the route: SCAN … TYPE hash until a page is full, then per-row metadata.
  rows.push({
    name: "Models list first page, 1,000,000 keys",
    floor: await time(Math.min(RUNS, 50), async () => {
      let cursor = "0";
      const found: string[] = [];
      let calls = 0;
      do {
        const [next, keys] = await client.scan(cursor, "MATCH", "model:*", "COUNT", 1000, "TYPE", "hash");
        found.push(...keys);
        cursor = next;
        calls += 1;
      } while (cursor !== "0" && found.length < 100 && calls < SCAN_CALLS_PER_PAGE);
      await Promise.all(
        found.map((k) => Promise.all([client.hlen(k), client.memory("USAGE", k), client.pttl(k)])),
      );
    }),
    console: await time(Math.min(RUNS, 50), () => getOk(`${base}/api/models`, cookie)),
    target: "≤ 1.5×",
  });

  // A single-field compare-and-set through the server action, as the edit dialog sends it.
  const key = "model:bench_cas:v1";
  await client.hset(key, "lr", "0");
  let value = 0;
  const { id } = serverAction(serverJs, "lib/actions/models.ts", "applyModelChanges");
  rows.push({
    name: "Single-field edit (compare-and-set) round trip",
    floor: await time(RUNS, async () => {
      const current = await client.hgetBuffer(key, "lr");
      await client.eval(
        "if redis.sha1hex(redis.call('HGET', KEYS[1], ARGV[1]) or '') == ARGV[2] then return redis.call('HSET', KEYS[1], ARGV[1], ARGV[3]) end return -1",
        1,
        key,
        "lr",
        digestOf(current!),
        String(++value),
      );
    }),
    console: await time(RUNS, async () => {
      const current = await client.hgetBuffer(key, "lr");
      const change = {
        field: toKeyRef("lr"),
        expected: digestOf(current!),
        value: toKeyRef(String(++value)),
      };
      const response = await fetch(`${base}/models`, {
        method: "POST",
        headers: { cookie, "Next-Action": id, "Content-Type": "text/plain;charset=UTF-8", Origin: base },
        body: JSON.stringify([{ conn: "default", key: toKeyRef(key), op: "set", changes: [change] }]),
      });
      const text = await response.text();
      if (!text.includes('"ok":true')) throw new Error(`edit failed: ${text.slice(0, 200)}`);
    }),
    target: "< 20 ms median",
  });
  return rows;
}
