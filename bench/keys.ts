// The keys browser's benchmarks (issue 4, bench/cache.ts reports them): the first page of
// GET /api/keys, and every key with its type by paging that route to the end, each next to a
// plain ioredis script doing the same Redis work. The full scan is also run through lib/keys/list
// in this process, which tells the route's own cost (HTTP, Next, session) from the library's.
import type Redis from "ioredis";
import { getJson, time, type Row, type Timing } from "@/bench/harness";
import type { KeyListPage } from "@/lib/keys/list";
import { MAX_LIST_LIMIT } from "@/lib/validation/keys";

export interface KeysBenchContext {
  client: Redis;
  redisUrl: string;
  base: string;
  cookie: string;
}

export interface ScanRun {
  keys: number;
  seconds: number;
  /** HTTP requests or listKeys calls (console), SCAN calls (plain). */
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
/** The largest page the route accepts: the full scan asks for it. */
export const SCAN_PAGE = MAX_LIST_LIMIT;

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

/** Pages of `page(cursor)` followed until the cursor is "". */
async function pageThrough(page: (cursor: string) => Promise<KeyListPage>): Promise<ScanRun> {
  const started = performance.now();
  let cursor = "";
  let keys = 0;
  let steps = 0;
  do {
    const answer = await page(cursor);
    keys += answer.rows.length;
    cursor = answer.cursor;
    steps += 1;
  } while (cursor);
  return { keys, seconds: (performance.now() - started) / 1000, steps };
}

/** Every key with its type: the keys route at its largest page, its cursor followed to the end. */
function consoleFullScan(ctx: KeysBenchContext): Promise<ScanRun> {
  return pageThrough((cursor) => {
    const params = new URLSearchParams({ conn: CONN, limit: String(SCAN_PAGE), includeConsoleState: "true" });
    if (cursor) params.set("cursor", cursor);
    return getJson<KeyListPage>(`${ctx.base}/api/keys?${params}`, ctx.cookie);
  });
}

/** The same pages through lib/keys/list in this process, when its "default" connection is the bench's Redis. */
async function inProcessFullScan(ctx: KeysBenchContext): Promise<ScanRun | null> {
  const { closeAllClients, findConnection } = await import("@/lib/redis/registry");
  const { spec } = findConnection(CONN);
  if (!("url" in spec) || spec.url !== ctx.redisUrl) return null;
  const { listKeys } = await import("@/lib/keys/list");
  try {
    return await pageThrough(async (cursor) => {
      const page = await listKeys(CONN, { limit: SCAN_PAGE, cursor, includeConsoleState: true });
      JSON.stringify(page); // the route serializes it too
      return page;
    });
  } finally {
    await closeAllClients();
  }
}

/** Every key with its type: SCAN COUNT 1000, then one TYPE pipeline per page. */
async function plainFullScan(client: Redis): Promise<ScanRun> {
  const started = performance.now();
  let cursor = "0";
  let keys = 0;
  let steps = 0;
  do {
    const [next, found] = await client.scanBuffer(cursor, "COUNT", PLAIN_SCAN_COUNT);
    const pipeline = client.pipeline();
    for (const key of found) pipeline.type(key);
    keys += ((await pipeline.exec()) ?? []).length;
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
    target: "≤ 1.5×, < 100 ms",
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
