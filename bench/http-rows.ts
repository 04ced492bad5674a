// The HTTP rows of `npm run bench` against their honest floors (issue 15): each request timed through
// the console, the framework floor (bare Next route handlers) and the physical floor (bare
// node:http), the same way (sequential, keep-alive, after warm-up), beside the plain ioredis script
// where there is one; and signed-in health requests per second with 16 concurrent clients.
import { time, type Timing } from "@/bench/harness";
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
}

export interface HttpRow {
  name: string;
  target: Target;
  plain?: Timing;
  http: Timing;
  next: Timing;
  console: Timing;
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

export async function measureHttp(cases: HttpCase[], floors: Floors): Promise<HttpRow[]> {
  const rows: HttpRow[] = [];
  for (const c of cases) {
    rows.push({
      name: c.name,
      target: c.target,
      plain: c.plain && (await time(c.runs, c.plain)),
      http: await time(c.runs, () => c.floor(floors.http)),
      next: await time(c.runs, () => c.floor(floors.next)),
      console: await time(c.runs, c.console),
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
    "| row | plain ioredis p50 | node:http p50 | Next floor p50 / p95 | console p50 / p95 | console − Next floor (p50) | console / Next floor (p50 / p95) | target | met? |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows.map(
      (r) =>
        `| ${[
          r.name,
          r.plain ? ms(r.plain.p50) : "—",
          ms(r.http.p50),
          `${ms(r.next.p50)} / ${ms(r.next.p95)}`,
          `${ms(r.console.p50)} / ${ms(r.console.p95)}`,
          ms(r.console.p50 - r.next.p50),
          `${(r.console.p50 / r.next.p50).toFixed(2)}× / ${(r.console.p95 / r.next.p95).toFixed(2)}×`,
          targetText(r.target),
          met(r) ? "yes" : "no",
        ].join(" | ")} |`,
    ),
  ];
  return lines.join("\n");
}

const THROUGHPUT_SECONDS = Number(process.env.BENCH_THROUGHPUT_SECONDS ?? 5);
const CLIENTS = 16;

/** Completed requests per second from CLIENTS keep-alive loops over `seconds`, after a second's warm-up. */
async function requestsPerSecond(request: () => Promise<unknown>, seconds: number): Promise<number> {
  const loops = async (forMs: number) => {
    const until = performance.now() + forMs;
    const loop = async () => {
      let done = 0;
      while (performance.now() < until) {
        await request();
        done += 1;
      }
      return done;
    };
    return (await Promise.all(Array.from({ length: CLIENTS }, loop))).reduce((sum, n) => sum + n, 0);
  };
  await loops(1_000);
  const started = performance.now();
  const done = await loops(seconds * 1_000);
  return done / ((performance.now() - started) / 1_000);
}

/** Signed-in health (PING) requests per second through each server, 16 concurrent clients. */
export async function throughputTable(consoleBase: string, cookie: string, floors: Floors): Promise<string> {
  const health = (base: string) => () => getOk(`${base}/api/health`, cookie);
  const http = await requestsPerSecond(health(floors.http), THROUGHPUT_SECONDS);
  const next = await requestsPerSecond(health(floors.next), THROUGHPUT_SECONDS);
  const consoleRate = await requestsPerSecond(health(consoleBase), THROUGHPUT_SECONDS);
  const ratio = consoleRate / next;
  return [
    `Signed-in health (PING), ${CLIENTS} concurrent keep-alive clients, ${THROUGHPUT_SECONDS} s each after 1 s of warm-up:`,
    "",
    "| row | node:http req/s | Next floor req/s | console req/s | console / Next floor | target | met? |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    `| Health throughput | ${http.toFixed(0)} | ${next.toFixed(0)} | ${consoleRate.toFixed(0)} | ${ratio.toFixed(2)}× | ≥ 0.8× | ${ratio >= 0.8 ? "yes" : "no"} |`,
  ].join("\n");
}
