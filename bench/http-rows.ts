// The HTTP rows of `npm run bench` against their honest floors (issue 15): each request timed through
// the console, the framework floor (bare Next route handlers) and the physical floor (bare
// node:http), the same way (sequential, keep-alive, after warm-up, the columns interleaved), beside
// the plain ioredis script where there is one; and signed-in health requests per second with 16
// concurrent clients.
import { readdirSync, readFileSync } from "node:fs";
import { percentile, type Timing } from "@/bench/harness";
import type { Floors } from "@/bench/floors";

/** Small rows: the console's own cost per request. Rows with real Redis work: a ratio to the floor. */
export type Target = { addedMs: number } | { p50: number; p95: number };

export interface HttpCase {
  name: string;
  runs: number;
  target: Target;
  /** The plain ioredis script doing the same Redis work, where the bench has one (earlier figures). */
  plain?: () => Promise<unknown>;
  /** One request to the console. */
  console: () => Promise<unknown>;
  /** The same request to a floor served at `base`. */
  floor: (base: string) => Promise<unknown>;
  /** The Next floor's request, where it differs from the node:http floor's (a bare server action). */
  nextFloor?: (base: string) => Promise<unknown>;
}

export interface HttpRow {
  name: string;
  target: Target;
  plain?: Timing;
  http: Timing;
  next: Timing;
  console: Timing;
  /** Requests to each column before the timed ones. */
  warmup: number;
  /** CPU time each server process spent per request (ms, mean): steadier than latency on a busy VM. */
  cpu: { http: number; next: number; console: number };
}

/**
 * CPU time (ns) the process has run, all its threads, from the scheduler's own accounting
 * (`/proc/<pid>/task/<tid>/schedstat`, exact, not sampled at clock ticks as `stat` is).
 */
export function cpuNanos(pid: number): number {
  let total = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return total;
}

/** A timed call, and the process serving it, whose CPU time per call is summed. */
interface Work {
  run: () => Promise<unknown>;
  pid?: number;
}

interface Measured extends Timing {
  /** Mean CPU time of the serving process per call, ms (NaN without a process to read). */
  cpuMs: number;
}

/** GET `url` with the session cookie, its body read; throws unless 2xx. */
export async function getOk(url: string, cookie: string): Promise<void> {
  const response = await fetch(url, { headers: { cookie } });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  await response.arrayBuffer();
}

/** A GET row: the same path and cookie to the console and to each floor. */
export function sameGet(name: string, consoleBase: string, cookie: string, path: string) {
  return {
    name,
    console: () => getOk(`${consoleBase}${path}`, cookie),
    floor: (base: string) => getOk(`${base}${path}`, cookie),
  };
}

/**
 * Requests to each column before a row is timed, and the most time the warm-up may take (a slow row
 * stops sooner, every column having had as many). 50 left the console's longer path (guard, schemas,
 * wrapper) still in V8's lower tiers: the first HSCAN page measured +0.3 ms over the floor after 50
 * and −0.15 ms after 1,000 (bench/RESULTS.md, 2026-12-05). A server in use is past its warm-up.
 */
const WARMUP_REQUESTS = Number(process.env.BENCH_WARMUP ?? 1_000);
const WARMUP_MS = 20_000;

/**
 * Each of `works` run `runs` times after warm-up, interleaved (one request to each in turn, the order
 * rotating), so a busy machine's slow spells fall on every column alike.
 */
async function timeInterleaved(
  runs: number,
  works: Work[],
): Promise<{ measured: Measured[]; warmup: number }> {
  const warmingUntil = Date.now() + WARMUP_MS;
  let warmup = 0;
  for (; warmup < WARMUP_REQUESTS && Date.now() < warmingUntil; warmup++) {
    for (const work of works) await work.run();
  }
  const samples = works.map(() => [] as number[]);
  const cpu = works.map(() => 0);
  for (let i = 0; i < runs; i++) {
    for (let j = 0; j < works.length; j++) {
      const at = (i + j) % works.length;
      const { run, pid } = works[at]!;
      // Read outside the timed span; the serving process's CPU from just before the request is
      // sent to just after its answer was read.
      const cpuBefore = pid ? cpuNanos(pid) : 0;
      const started = performance.now();
      await run();
      samples[at]!.push(performance.now() - started);
      if (pid) cpu[at]! += cpuNanos(pid) - cpuBefore;
    }
  }
  const measured = samples.map((taken, at) => {
    taken.sort((a, b) => a - b);
    const mean = taken.reduce((sum, value) => sum + value, 0) / taken.length;
    const cpuMs = works[at]!.pid ? cpu[at]! / runs / 1e6 : Number.NaN;
    return { p50: percentile(taken, 0.5), p95: percentile(taken, 0.95), mean, runs, cpuMs };
  });
  return { measured, warmup };
}

export async function measureHttp(cases: HttpCase[], floors: Floors, consolePid: number): Promise<HttpRow[]> {
  const rows: HttpRow[] = [];
  for (const c of cases) {
    const nextFloor = c.nextFloor ?? c.floor;
    const works: Work[] = [
      { run: () => c.floor(floors.http), pid: floors.pids.http },
      { run: () => nextFloor(floors.next), pid: floors.pids.next },
      { run: c.console, pid: consolePid },
    ];
    const {
      measured: [http, next, consoleTiming, plain],
      warmup,
    } = await timeInterleaved(c.runs, c.plain ? [...works, { run: c.plain }] : works);
    rows.push({
      name: c.name,
      warmup,
      target: c.target,
      plain,
      http: http!,
      next: next!,
      console: consoleTiming!,
      cpu: { http: http!.cpuMs, next: next!.cpuMs, console: consoleTiming!.cpuMs },
    });
  }
  return rows;
}

const ms = (value: number) => value.toFixed(2);

function targetText(target: Target): string {
  return "addedMs" in target
    ? `console − Next floor < ${target.addedMs} ms`
    : `≤ ${target.p50}× p50, ≤ ${target.p95}× p95`;
}

function met(row: HttpRow): boolean {
  const t = row.target;
  if ("addedMs" in t) return row.console.p50 - row.next.p50 < t.addedMs;
  return row.console.p50 / row.next.p50 <= t.p50 && row.console.p95 / row.next.p95 <= t.p95;
}

/** Milliseconds throughout; ratios are console / Next floor. */
export function httpTable(rows: HttpRow[]): string {
  const lines = [
    "| row | timed / warm-up requests | plain ioredis p50 | node:http p50 | Next floor p50 / p95 | console p50 / p95 | console − Next floor (p50) | console / Next floor (p50 / p95) | CPU per request: node:http / Next floor / console | console − Next floor (CPU) | target | met? |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows.map(
      (r) =>
        `| ${[
          r.name,
          `${r.console.runs} / ${r.warmup}`,
          r.plain ? ms(r.plain.p50) : "—",
          ms(r.http.p50),
          `${ms(r.next.p50)} / ${ms(r.next.p95)}`,
          `${ms(r.console.p50)} / ${ms(r.console.p95)}`,
          ms(r.console.p50 - r.next.p50),
          `${(r.console.p50 / r.next.p50).toFixed(2)}× / ${(r.console.p95 / r.next.p95).toFixed(2)}×`,
          `${ms(r.cpu.http)} / ${ms(r.cpu.next)} / ${ms(r.cpu.console)}`,
          ms(r.cpu.console - r.cpu.next),
          targetText(r.target),
          met(r) ? "yes" : "no",
        ].join(" | ")} |`,
    ),
  ];
  return lines.join("\n");
}

const THROUGHPUT_SECONDS = Number(process.env.BENCH_THROUGHPUT_SECONDS ?? 5);
const CLIENTS = 16;

/** Requests completed by CLIENTS keep-alive loops in `forMs`, and the time they took. */
async function load(request: () => Promise<unknown>, forMs: number): Promise<{ done: number; ms: number }> {
  const started = performance.now();
  const until = started + forMs;
  const loop = async () => {
    let done = 0;
    while (performance.now() < until) {
      await request();
      done += 1;
    }
    return done;
  };
  const counts = await Promise.all(Array.from({ length: CLIENTS }, loop));
  return { done: counts.reduce((sum, n) => sum + n, 0), ms: performance.now() - started };
}

/**
 * Requests per second of each server, after a second's warm-up each: one-second slices taken in
 * turn (the order rotating) for `seconds` each, so a busy machine's slow spells fall on all alike.
 */
async function requestsPerSecond(requests: (() => Promise<unknown>)[], seconds: number): Promise<number[]> {
  for (const request of requests) await load(request, 1_000);
  const totals = requests.map(() => ({ done: 0, ms: 0 }));
  for (let slice = 0; slice < seconds; slice++) {
    for (let j = 0; j < requests.length; j++) {
      const at = (slice + j) % requests.length;
      const { done, ms } = await load(requests[at]!, 1_000);
      totals[at]!.done += done;
      totals[at]!.ms += ms;
    }
  }
  return totals.map(({ done, ms }) => done / (ms / 1_000));
}

/** Signed-in health (PING) requests per second through each server, 16 concurrent clients. */
export async function throughputTable(consoleBase: string, cookie: string, floors: Floors): Promise<string> {
  const health = (base: string) => () => getOk(`${base}/api/health`, cookie);
  const [http, next, consoleRate] = (await requestsPerSecond(
    [health(floors.http), health(floors.next), health(consoleBase)],
    THROUGHPUT_SECONDS,
  )) as [number, number, number];
  const ratio = consoleRate / next;
  return [
    `Signed-in health (PING), ${CLIENTS} concurrent keep-alive clients, ${THROUGHPUT_SECONDS} s each (1 s slices in turn) after 1 s of warm-up:`,
    "",
    "| row | node:http req/s | Next floor req/s | console req/s | console / Next floor | target | met? |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    `| Health throughput | ${http.toFixed(0)} | ${next.toFixed(0)} | ${consoleRate.toFixed(0)} | ${ratio.toFixed(2)}× | ≥ 0.8× | ${ratio >= 0.8 ? "yes" : "no"} |`,
  ].join("\n");
}
