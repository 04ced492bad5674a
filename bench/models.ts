// Model benchmarks (issue: model parameters; issue 15: against honest floors): the console's route
// or action, the same request to the two HTTP floors (bench/floor), and the plain ioredis script
// doing the same Redis work.
import type Redis from "ioredis";
import { serverAction } from "@/bench/harness";
import { FLOOR_SERVER_JS } from "@/bench/floors";
import { sameGet, type HttpCase } from "@/bench/http-rows";
import { digestOf } from "@/lib/models/digest";
import { SCAN_CALLS_PER_PAGE } from "@/lib/models/list";
import { toKeyRef } from "@/lib/redis/keys";
import { BIG_MODEL_KEY } from "@/scripts/seed-data";

// 500, as the core rows: 200 left a row's median 0.1–0.15 ms apart between two runs of one build,
// half the 0.3 ms the small rows are judged by.
const RUNS = Number(process.env.BENCH_RUNS ?? 500);

/** `serverJs`: the standalone server being benchmarked, whose build holds the action ids. */
export function modelCases(client: Redis, base: string, cookie: string, serverJs: string): HttpCase[] {
  const bigRef = toKeyRef(BIG_MODEL_KEY);
  const cases: HttpCase[] = [];

  cases.push({
    ...sameGet(
      "First HSCAN page (100 fields) of the 100,000-field model",
      base,
      cookie,
      `/api/models/${bigRef}/fields?count=100`,
    ),
    runs: RUNS,
    target: { addedMs: 0.3 },
    plain: () => client.hscanBuffer(BIG_MODEL_KEY, "0", "COUNT", 100),
  });

  // The plain script: SCAN … TYPE hash until a page is full, then per-row metadata.
  cases.push({
    ...sameGet("Models list first page", base, cookie, "/api/models"),
    runs: Math.min(RUNS, 50),
    target: { p50: 1.1, p95: 1.25 },
    plain: async () => {
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
    },
  });

  // A single-field compare-and-set as the edit dialog sends it: the current value's digest is read
  // first (HGET, in every column), then the console's server action or the floors' POST route.
  const key = "model:bench_cas:v1";
  let value = 0;
  const { id, page } = serverAction(serverJs, "lib/actions/models.ts", "applyModelChanges");
  const edit = async () => {
    const current = await client.hgetBuffer(key, "lr");
    const change = { field: toKeyRef("lr"), expected: digestOf(current!), value: toKeyRef(String(++value)) };
    return JSON.stringify([{ conn: "default", key: toKeyRef(key), op: "set", changes: [change] }]);
  };
  const post = async (url: string, headers: Record<string, string>) => {
    const response = await fetch(url, {
      method: "POST",
      headers: { cookie, ...headers },
      body: await edit(),
    });
    const text = await response.text();
    if (!text.includes('"ok":true')) throw new Error(`edit failed: ${text.slice(0, 200)}`);
  };
  const cas = {
    name: "Single-field edit (compare-and-set)",
    runs: RUNS,
    target: { addedMs: 0.3 },
    plain: async () => {
      const current = await client.hgetBuffer(key, "lr");
      await client.eval(
        "if redis.sha1hex(redis.call('HGET', KEYS[1], ARGV[1]) or '') == ARGV[2] then return redis.call('HSET', KEYS[1], ARGV[1], ARGV[3]) end return -1",
        1,
        key,
        "lr",
        digestOf(current!),
        String(++value),
      );
    },
  };
  // To the action's own page (the model's), as the edit dialog posts it: posted to another page, Next
  // would forward it to this one with a second request of its own.
  const editPage = page.replace("[ref]", toKeyRef(key));
  const console = () =>
    post(`${base}${editPage}`, {
      "Next-Action": id,
      "Content-Type": "text/plain;charset=UTF-8",
      Origin: base,
    });
  const route = (floor: string) =>
    post(`${floor}/api/models/edit`, { "Content-Type": "text/plain;charset=UTF-8", Origin: floor });
  // The Next floor calls a bare server action the same way: Next's own action handling is the floor,
  // on a page under a dynamic segment as the console's is (`/models/[ref]`): Next matches such a
  // page's route and builds its parameters per request (0.05–0.1 ms), a static page's not.
  const floorAction = serverAction(FLOOR_SERVER_JS, "bench/floor/app/models/[ref]/actions.ts", "floorEdit");
  const floorEditPage = floorAction.page.replace("[ref]", toKeyRef(key));
  const action = (floor: string) =>
    post(`${floor}${floorEditPage}`, {
      "Next-Action": floorAction.id,
      "Content-Type": "text/plain;charset=UTF-8",
      Origin: floor,
    });
  cases.push({ ...cas, console, floor: route, nextFloor: action });
  // For scale: the same edit through a bare POST route handler, so Next's action handling shows.
  cases.push({
    ...cas,
    name: "Single-field edit, the Next floor a bare POST route (for scale)",
    runs: Math.min(RUNS, 200),
    console,
    floor: route,
  });
  return cases;
}

/** Makes the hash the edit row changes. */
export async function seedModelCases(client: Redis): Promise<void> {
  await client.hset("model:bench_cas:v1", "lr", "0");
}
