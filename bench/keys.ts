// The keys browser's benchmarks (issue 4, bench/cache.ts reports them): the first page of
// GET /api/keys, and every key with its type, TTL and memory through GET /api/keys/stream (one
// streamed answer, as the browser's "continue" reads it), each next to a plain ioredis script
// doing the same Redis work. The full scan is also run through lib/keys/stream in this process,
// which tells the route's own cost (HTTP, Next, session) from the library's.
import type Redis from "ioredis";
import { getJson, time, type Row, type Timing } from "@/bench/harness";
import { readNdjson } from "@/components/query/ndjson";
import type { KeyStreamLine } from "@/lib/keys/stream";
import { MAX_STREAM_MS } from "@/lib/validation/keys";

export interface KeysBenchContext {
  client: Redis;
  redisUrl: string;
  base: string;
  cookie: string;
}

export interface ScanRun {
  keys: number;
  seconds: number;
  /** Streamed answers (console, in-process), SCAN calls (plain). */
  steps: number;
}

export interface KeysResults {
  firstPage: Row;
  /** GET /api/health (one PING): what any request through the console costs before its own work. */
  requestFloor: Timing;
  consoleScan: ScanRun;
  plainScan: ScanRun;
  /** null when the bench process's "default" connection is not the bench's Redis. */
  inProcessScan: ScanRun | null;
}

const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const CONN = "default";
export const FIRST_PAGE = 100;
/** What the plain full scan asks each SCAN for. */
export const PLAIN_SCAN_COUNT = 1_000;
/** The longest budget the stream accepts: the full scan asks for it, and follows the cursor if it ends. */
export const STREAM_BUDGET_MS = MAX_STREAM_MS;

/** The route's Redis work for `limit=100`: SCAN until a page is full, DBSIZE, then metadata in one round trip. */
export async function plainFirstPage(client: Redis): Promise<void> {
  let cursor = "0";
  const keys: Buffer[] = [];
  do {
    const [next, found] = await client.scanBuffer(cursor, "MATCH", "*", "COUNT", FIRST_PAGE);
    keys.push(...found);
    cursor = next.toString();
  } while (cursor !== "0" && keys.length < FIRST_PAGE);
  const pipeline = client.pipeline().dbsize();
  for (const key of keys) pipeline.type(key).pttl(key).memory("USAGE", key);
  await pipeline.exec();
}

/** Streamed answers from `open(cursor)`, the next one from the cursor a budget ended at, until "". */
async function streamThrough(open: (cursor: string) => AsyncIterable<KeyStreamLine>): Promise<ScanRun> {
  const started = performance.now();
  let cursor = "";
  let keys = 0;
  let steps = 0;
  do {
    steps += 1;
    const from = cursor;
    cursor = "";
    for await (const line of open(from)) {
      if (line.kind === "rows") keys += line.rows.length;
      else if (line.kind === "end") cursor = line.cursor;
      else if (line.kind === "error") throw new Error(`the stream failed: ${line.error.message}`);
    }
  } while (cursor);
  return { keys, seconds: (performance.now() - started) / 1000, steps };
}

/** Every key with type, TTL and memory: one streamed answer of GET /api/keys/stream (more only if its budget ends it). */
function consoleFullScan(ctx: KeysBenchContext): Promise<ScanRun> {
  return streamThrough(async function* (cursor) {
    const params = new URLSearchParams({
      conn: CONN,
      includeConsoleState: "true",
      budgetMs: String(STREAM_BUDGET_MS),
    });
    if (cursor) params.set("cursor", cursor);
    const response = await fetch(`${ctx.base}/api/keys/stream?${params}`, {
      headers: { cookie: ctx.cookie },
    });
    if (!response.ok)
      throw new Error(`/api/keys/stream answered ${response.status}: ${await response.text()}`);
    yield* readNdjson<KeyStreamLine>(response.body!);
  });
}

/** The same stream through lib/keys/stream in this process, when its "default" connection is the bench's Redis. */
async function inProcessFullScan(ctx: KeysBenchContext): Promise<ScanRun | null> {
  const { closeAllClients, findConnection } = await import("@/lib/redis/registry");
  const { spec } = findConnection(CONN);
  if (!("url" in spec) || spec.url !== ctx.redisUrl) return null;
  const { openKeyStream } = await import("@/lib/keys/stream");
  try {
    return await streamThrough(async function* (cursor) {
      const lines = await openKeyStream(CONN, {
        cursor,
        includeConsoleState: true,
        budgetMs: STREAM_BUDGET_MS,
      });
      for await (const line of lines) {
        JSON.stringify(line); // the route serializes it too
        yield line;
      }
    });
  } finally {
    await closeAllClients();
  }
}

/** The console's Redis work without the console: SCAN COUNT 1000, then TYPE, PTTL and MEMORY USAGE of every key, one pipeline per page. */
async function plainFullScan(client: Redis): Promise<ScanRun> {
  const started = performance.now();
  let cursor = "0";
  let keys = 0;
  let steps = 0;
  do {
    const [next, found] = await client.scanBuffer(cursor, "COUNT", PLAIN_SCAN_COUNT);
    const pipeline = client.pipeline();
    for (const key of found) pipeline.type(key).pttl(key).memory("USAGE", key);
    keys += ((await pipeline.exec()) ?? []).length / 3;
    cursor = next.toString();
    steps += 1;
  } while (cursor !== "0");
  return { keys, seconds: (performance.now() - started) / 1000, steps };
}

export async function keysBenchmarks(ctx: KeysBenchContext): Promise<KeysResults> {
  const firstPage: Row = {
    name: `Keys first page (\`/api/keys?limit=${FIRST_PAGE}\`), ${(await ctx.client.dbsize()).toLocaleString("en-US")} keys`,
    floor: await time(RUNS, () => plainFirstPage(ctx.client)),
    console: await time(RUNS, () =>
      getJson(`${ctx.base}/api/keys?conn=${CONN}&limit=${FIRST_PAGE}`, ctx.cookie),
    ),
    target: "< 100 ms (ratio: core group, vs the Next floor)",
  };
  const requestFloor = await time(RUNS, async () => {
    const response = await fetch(`${ctx.base}/api/health`);
    if (!response.ok) throw new Error(`health answered ${response.status}`);
    await response.json();
  });
  const consoleScan = await consoleFullScan(ctx);
  const plainScan = await plainFullScan(ctx.client);
  const inProcessScan = await inProcessFullScan(ctx);
  return { firstPage, requestFloor, consoleScan, plainScan, inProcessScan };
}
