// Cache and keys benchmarks (issue 4), reported as Markdown for bench/RESULTS.md: the keys browser
// (bench/keys.ts) and a pattern flush through the Cache page's job (bench/flush.ts), each next to a
// plain ioredis script doing the same Redis work, in one run; and the INFO load of open Overview
// and Cache pages (bench/info-load.ts).
import os from "node:os";
import { table } from "@/bench/harness";
import { flushBenchmark, type FlushBenchContext } from "@/bench/flush";
import { infoLoadBenchmark } from "@/bench/info-load";
import { FIRST_PAGE, keysBenchmarks, PLAIN_SCAN_COUNT, STREAM_BUDGET_MS, type ScanRun } from "@/bench/keys";

export type CacheBenchContext = FlushBenchContext;

// ——— report ———

const yes = (ok: boolean) => (ok ? "yes" : "**no**");

/** "≥ floor" met or not; a miss that rounds to the floor shows its exact ratio, so "0.80×, no" reads right. */
function atLeast(ratio: number, floor: number): string {
  if (ratio >= floor) return "yes";
  return ratio.toFixed(2) === floor.toFixed(2) ? `**no** (${ratio.toFixed(4)}×)` : "**no**";
}
const rate = (keys: number, seconds: number) =>
  `${Math.round(keys / seconds).toLocaleString("en-US")} keys/s`;
const count = (n: number) => n.toLocaleString("en-US");
const ms = (value: number) => `${value.toFixed(2)} ms`;

function scanText(run: ScanRun): string {
  return `${rate(run.keys, run.seconds)} (${run.seconds.toFixed(1)} s)`;
}

export async function cacheBenchmarks(ctx: CacheBenchContext): Promise<string> {
  const started = performance.now();
  // Everything else on the machine inflates every figure: say how busy it was around each part.
  const loads: string[] = [];
  const noteLoad = (label: string) => loads.push(`${os.loadavg()[0]!.toFixed(1)} ${label}`);
  noteLoad("at the start");
  const { firstPage, requestFloor, consoleScan, plainScan, inProcessScan } = await keysBenchmarks(ctx);
  const firstRatio = firstPage.console.p50 / firstPage.floor.p50;
  const scanRatio = consoleScan.keys / consoleScan.seconds / (plainScan.keys / plainScan.seconds);

  noteLoad("after the keys benchmarks");
  const flush = await flushBenchmark(ctx);

  noteLoad("after the flushes");
  const info = await infoLoadBenchmark({ base: ctx.base, cookie: ctx.cookie, redisUrl: ctx.redisUrl });
  noteLoad("at the end (after 20 Chromium pages)");

  const inProcess = inProcessScan
    ? `The same stream through \`openKeyStream\` (lib/keys/stream.ts) called in the bench process, each line serialized, no HTTP: ${scanText(inProcessScan)}, ${(inProcessScan.keys / inProcessScan.seconds / (plainScan.keys / plainScan.seconds)).toFixed(2)}× plain; the rest of the console's time is the route (HTTP, Next, session, JSON).`
    : "(\`openKeyStream\` in-process not run: the bench process's default connection is not the bench's Redis.)";
  const rows = [
    // Issue 15 judges an HTTP row against bare Next doing the same work (the core group's keys row,
    // ≤ 1.1×), not against a bare ioredis call; the ratio to the script is printed for scale.
    `| Keys first page, p50 | ${ms(firstPage.floor.p50)} | ${ms(firstPage.console.p50)} | ${firstRatio.toFixed(2)}× (for scale) | < 100 ms; the ratio is judged against the Next floor (core group, ≤ 1.1×) | ${yes(firstPage.console.p50 < 100)} |`,
    `| Full scan with types, ${count(plainScan.keys)} keys | ${scanText(plainScan)} | ${scanText(consoleScan)} | ${scanRatio.toFixed(2)}× | ≥ 0.8× | ${atLeast(scanRatio, 0.8)} |`,
    ...flush.rows,
  ];
  return [
    "### Cache and keys: keys browser and pattern flush, console vs plain ioredis",
    "",
    table([firstPage]),
    "",
    "| cache benchmark | plain ioredis | console | ratio | target | met? |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows,
    "",
    `- First page: ${firstPage.console.runs} sequential requests after warm-up. The plain script does the route's Redis work: SCAN MATCH * COUNT ${FIRST_PAGE} until ${FIRST_PAGE} keys, then DBSIZE and TYPE, PTTL, MEMORY USAGE of every key in one pipeline (the console sends the three per key in one read-only script). For scale, \`GET /api/health\` (one PING) took ${ms(requestFloor.p50)} p50 in the same run: the fixed cost of any request through the console.`,
    `- Full scan: one pass each over the whole keyspace. Console: one streamed answer of \`/api/keys/stream?includeConsoleState=true&budgetMs=${STREAM_BUDGET_MS}\` (NDJSON, parsed line by line as it arrives; its cursor followed if the budget ended it): ${count(consoleScan.steps)} request(s), ${count(consoleScan.keys)} rows with TYPE, PTTL and MEMORY USAGE. Plain: SCAN COUNT ${PLAIN_SCAN_COUNT} then TYPE, PTTL and MEMORY USAGE of every key in one pipeline per page: ${count(plainScan.steps)} SCAN calls, ${count(plainScan.keys)} keys (SCAN may return a key twice, in either). ${inProcess}`,
    ...flush.notes,
    "",
    info,
    "",
    `- The cache and keys benchmarks took ${((performance.now() - started) / 1000).toFixed(0)} s; 1-minute load average on ${os.cpus().length} cores: ${loads.join(", ")}.`,
  ].join("\n");
}
