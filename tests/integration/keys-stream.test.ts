import { setTimeout as sleep } from "node:timers/promises";
import { beforeAll, describe, expect, it } from "vitest";
import type Redis from "ioredis";
import { ndjsonResponse } from "@/lib/api/ndjson";
import { openKeyStream, type KeyStreamLine, type KeyStreamOptions } from "@/lib/keys/stream";
import type { KeyRow } from "@/lib/keys/metadata";
import { parseInfo, parseKeyValueList } from "@/lib/redis/info";
import { withConsoleRedis } from "@/tests/helpers/redis";

// lib/keys/stream.ts and lib/api/ndjson.ts: the keys browser's streamed "continue" over 30,000 keys
// of a real redis-server: every key once with its type, TTL and memory, budgets that end with a
// cursor to go on, and a reader who leaves stops the SCAN at once.
const redis = withConsoleRedis("main");
const CONN = "main";
const STRINGS = 24_000;
const HASHES = 6_000;
const HIDDEN = ["__console:stream-test:a", "__console:stream-test:b"];
/** Time for a command already sent to reach Redis before its counters are read: not a timed assertion. */
const SETTLE_MS = 300;
const stringKey = (i: number) => `stream:str:${i}`;
const hashKey = (i: number) => `stream:hash:${i}`;

beforeAll(async () => {
  for (let from = 0; from < STRINGS; from += 5_000) {
    const pipeline = redis.client.pipeline();
    for (let i = from; i < Math.min(STRINGS, from + 5_000); i++) {
      // Every tenth string expires in an hour.
      if (i % 10 === 0) pipeline.set(stringKey(i), "v", "EX", 3_600);
      else pipeline.set(stringKey(i), "v");
    }
    await pipeline.exec();
  }
  const pipeline = redis.client.pipeline();
  for (let i = 0; i < HASHES; i++) pipeline.hset(hashKey(i), "f", "1");
  for (const key of HIDDEN) pipeline.set(key, "console");
  await pipeline.exec();
});

async function linesOf(options: KeyStreamOptions): Promise<KeyStreamLine[]> {
  const lines: KeyStreamLine[] = [];
  for await (const line of await openKeyStream(CONN, options)) lines.push(line);
  return lines;
}

const rowsOf = (lines: KeyStreamLine[]) => lines.flatMap((line) => (line.kind === "rows" ? line.rows : []));
const endOf = (lines: KeyStreamLine[]) => lines.find((line) => line.kind === "end");

async function scanCalls(client: Redis): Promise<number> {
  const stats = parseInfo(await client.info("commandstats")).commandstats ?? {};
  return parseKeyValueList(stats.cmdstat_scan ?? "").calls ?? 0;
}

/** Every key the stream listed, each once (SCAN may repeat a key), by name. */
function byName(rows: KeyRow[]): Map<string, KeyRow> {
  return new Map(rows.map((row) => [row.key, row]));
}

describe("the streamed key list", () => {
  it("lists every key once with its type, TTL and memory, the console's own only when asked", async () => {
    const lines = await linesOf({});
    expect(lines[0]).toEqual({ kind: "start", dbSize: await redis.client.dbsize() });
    expect(endOf(lines)).toMatchObject({ kind: "end", cursor: "" });
    const rows = byName(rowsOf(lines));
    expect(rows.size).toBe(STRINGS + HASHES);
    const missing = [...Array(STRINGS).keys()]
      .map(stringKey)
      .filter((key) => rows.get(key)?.type !== "string");
    expect(missing).toEqual([]);
    const notHashes = [...Array(HASHES).keys()].map(hashKey).filter((key) => rows.get(key)?.type !== "hash");
    expect(notHashes).toEqual([]);
    expect(rows.get(stringKey(10))).toMatchObject({ type: "string", consoleState: false });
    expect(rows.get(stringKey(10))!.ttlSeconds).toBeGreaterThan(3_500);
    expect(rows.get(stringKey(11))!.ttlSeconds).toBeNull();
    expect(rows.get(stringKey(11))!.memoryBytes).toBe(await redis.client.memory("USAGE", stringKey(11)));
    for (const key of HIDDEN) expect(rows.has(key)).toBe(false);

    const withState = byName(rowsOf(await linesOf({ includeConsoleState: true })));
    for (const key of HIDDEN) expect(withState.get(key)).toMatchObject({ consoleState: true });
  });

  it("filters by pattern and type as the paged list does", async () => {
    const hashes = rowsOf(await linesOf({ pattern: "stream:*", type: "hash" }));
    expect(byName(hashes).size).toBe(HASHES);
    expect(hashes.every((row) => row.type === "hash")).toBe(true);
    const tens = byName(rowsOf(await linesOf({ pattern: "stream:str:1?" })));
    expect([...tens.keys()].sort()).toEqual([...Array(10).keys()].map((i) => stringKey(10 + i)).sort());
  });

  it("stops at a budget with a cursor, and continuing from it lists the rest", async () => {
    const first = await linesOf({ budgetKeys: 5_000 });
    const firstEnd = endOf(first);
    expect(firstEnd?.kind === "end" && firstEnd.cursor).toMatch(/^0-\d+$/);
    const seen = byName(rowsOf(first));
    expect(seen.size).toBeGreaterThan(0);
    expect(seen.size).toBeLessThan(STRINGS + HASHES);

    let cursor = firstEnd?.kind === "end" ? firstEnd.cursor : "";
    let rounds = 0;
    while (cursor) {
      const lines = await linesOf({ cursor, limit: 4_000 });
      for (const row of rowsOf(lines)) seen.set(row.key, row);
      const end = endOf(lines);
      cursor = end?.kind === "end" ? end.cursor : "";
      rounds += 1;
    }
    expect(rounds).toBeGreaterThan(1);
    expect(seen.size).toBe(STRINGS + HASHES);
  });

  it("sends no SCAN once the reader aborts", async () => {
    const total = await redis.client.dbsize();
    const stop = new AbortController();
    const lines = await openKeyStream(CONN, { signal: stop.signal });
    const before = await scanCalls(redis.client);
    expect((await lines.next()).value).toMatchObject({ kind: "start" });
    expect((await lines.next()).value).toMatchObject({ kind: "rows" });
    stop.abort();
    const rest: KeyStreamLine[] = [];
    for await (const line of lines) rest.push(line);
    // At most the batch whose metadata was asked for, and no end: the reader is gone.
    expect(rest.filter((line) => line.kind === "rows").length).toBeLessThanOrEqual(1);
    expect(endOf(rest)).toBeUndefined();
    const after = await scanCalls(redis.client);
    // The SCAN sent ahead of the batch being read completes; nothing after it.
    expect(after - before).toBeLessThanOrEqual(4);
    expect(after - before).toBeLessThan(total / 1_000);
    await sleep(SETTLE_MS);
    expect(await scanCalls(redis.client)).toBe(after);
  });
});

describe("the NDJSON answer", () => {
  async function readLine(reader: ReadableStreamDefaultReader<Uint8Array>, buffered: { text: string }) {
    const decoder = new TextDecoder();
    while (!buffered.text.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) throw new Error("the stream ended");
      buffered.text += decoder.decode(value, { stream: true });
    }
    const end = buffered.text.indexOf("\n");
    const line = buffered.text.slice(0, end);
    buffered.text = buffered.text.slice(end + 1);
    return JSON.parse(line) as KeyStreamLine;
  }

  it("is made as it is read, and a reader who cancels stops the SCAN", async () => {
    const total = await redis.client.dbsize();
    const request = new Request("http://console.test/api/keys/stream");
    const response = await ndjsonResponse(request, (signal) => openKeyStream(CONN, { signal }));
    expect(response.headers.get("Content-Type")).toContain("application/x-ndjson");
    const reader = response.body!.getReader();
    const buffered = { text: "" };
    const before = await scanCalls(redis.client);
    expect(await readLine(reader, buffered)).toMatchObject({ kind: "start" });
    expect(await readLine(reader, buffered)).toMatchObject({ kind: "rows" });
    // Nobody reads now: the stream makes one line ahead for its reader, then waits instead of
    // scanning the 30 batches of the keyspace.
    await sleep(SETTLE_MS);
    const waiting = await scanCalls(redis.client);
    expect(waiting - before).toBeLessThanOrEqual(6);
    await reader.cancel();
    await sleep(SETTLE_MS);
    const after = await scanCalls(redis.client);
    expect(after - waiting).toBeLessThanOrEqual(1);
    expect(after - before).toBeLessThan(total / 1_000);
    await sleep(SETTLE_MS);
    expect(await scanCalls(redis.client)).toBe(after);
  });

  it("ends with an error line when the work fails after the answer started", async () => {
    const request = new Request("http://console.test/api/keys/stream");
    const response = await ndjsonResponse(request, async () =>
      (async function* failing() {
        yield { kind: "start", dbSize: 1 };
        await redis.client.call("NO-SUCH-COMMAND");
      })(),
    );
    const lines = (await response.text())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as KeyStreamLine);
    expect(lines[0]).toEqual({ kind: "start", dbSize: 1 });
    expect(lines[1]).toMatchObject({ kind: "error", error: { code: expect.any(String) } });
    expect(lines).toHaveLength(2);
  });
});
