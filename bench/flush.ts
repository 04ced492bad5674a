// The pattern flush benchmark (bench/cache.ts's flush rows): 500,000 keys deleted through the Cache
// page's job, and by a plain ioredis script doing the same Redis work, each while another client's
// PING is timed in a process of its own (bench/pinger.ts).
import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import Redis from "ioredis";
import { getJson, serverAction } from "@/bench/harness";
import type { PingSummary } from "@/bench/pinger";
import type { JobSnapshot } from "@/lib/cache/jobs";
import { statePrefix } from "@/lib/console-state";
import { parseInfo, parseKeyValueList } from "@/lib/redis/info";

export interface FlushBenchContext {
  /** The bench's own client on the seeded Redis. */
  client: Redis;
  redisUrl: string;
  /** The console, e.g. http://127.0.0.1:3000. */
  base: string;
  /** A signed-in admin session cookie for the console. */
  cookie: string;
  /** The standalone server being benchmarked, whose build holds the action ids. */
  serverJs: string;
}

const CONN = "default";
/** What the plain flush asks each SCAN for. */
const SCAN_COUNT = 1_000;
const FLUSH_KEYS = Number(process.env.BENCH_FLUSH_KEYS ?? 500_000);
const FLUSH_PREFIX = "flushbench:";
const FLUSH_PATTERN = `${FLUSH_PREFIX}*`;
const SEED_BATCH = 10_000;
const WARM_UP_KEYS = 20_000;
/** How often the bench asks for the job's state, like the Cache page while a job runs. */
const JOB_POLL_MS = 250;
/** The issue 15 target: the console's job at this fraction of the plain script's rate, at least. */
const FLOOR = 0.95;

async function seedFlushKeys(client: Redis, prefix = FLUSH_PREFIX, keys = FLUSH_KEYS): Promise<void> {
  for (let from = 0; from < keys; from += SEED_BATCH) {
    const pipeline = client.pipeline();
    for (let n = from; n < Math.min(keys, from + SEED_BATCH); n++) pipeline.set(`${prefix}${n}`, "v");
    const failed = ((await pipeline.exec()) ?? []).find(([error]) => error);
    if (failed) throw failed[0];
  }
}

/** What a flush must leave alone: every key but its pattern's and the console's own, less expiries. */
interface Census {
  dbSize: number;
  stateKeys: number;
  /** INFO stats expired_keys: seeded cache keys expire during a long run. */
  expired: number;
}

async function census(client: Redis): Promise<Census> {
  const state = new Set<string>();
  let cursor = "0";
  do {
    const [next, found] = await client.scan(cursor, "MATCH", `${statePrefix()}*`, "COUNT", 10_000);
    for (const key of found) state.add(key);
    cursor = next;
  } while (cursor !== "0");
  const stats = parseInfo(await client.info("stats")).stats ?? {};
  return { dbSize: await client.dbsize(), stateKeys: state.size, expired: Number(stats.expired_keys ?? 0) };
}

/** What Redis itself did for a flush, from INFO commandstats: calls, and its time in them. */
interface FlushWork {
  scans: number;
  unlinks: number;
  /** Microseconds Redis spent in SCAN and UNLINK. */
  usec: number;
}

async function flushCommandStats(client: Redis): Promise<FlushWork> {
  const stats = parseInfo(await client.info("commandstats")).commandstats ?? {};
  const of = (name: string) => parseKeyValueList(stats[`cmdstat_${name}`] ?? "");
  const [scan, unlink] = [of("scan"), of("unlink")];
  return {
    scans: scan.calls ?? 0,
    unlinks: unlink.calls ?? 0,
    usec: (scan.usec ?? 0) + (unlink.usec ?? 0),
  };
}

interface FlushRun {
  deleted: number;
  seconds: number;
  ping: PingSummary;
  redis: FlushWork;
  /** DBSIZE when the flush started: what its SCAN walks through. */
  keysAtStart: number;
  /** Keys outside the pattern (and the console's own) before and after, and expired meanwhile. */
  others: { before: number; after: number; expired: number };
  /** The console's job: what it reported about itself. */
  note?: string;
}

/** Runs `work` while a separate process (bench/pinger.ts) PINGs Redis one at a time. */
async function withPinger<T>(
  redisUrl: string,
  work: () => Promise<T>,
): Promise<{ result: T; ping: PingSummary }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.resolve("bench/pinger.ts")], {
    env: { ...process.env, BENCH_REDIS_URL: redisUrl },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const nextLine = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error("The pinger exited early");
    return value as string;
  };
  try {
    if ((await nextLine()) !== "ready") throw new Error("The pinger did not start");
    await sleep(500); // its first round trips pay for JIT warm-up
    child.stdin!.write("start\n");
    const result = await work();
    child.stdin!.write("stop\n");
    return { result, ping: JSON.parse(await nextLine()) as PingSummary };
  } finally {
    if (child.exitCode === null) child.kill("SIGTERM");
  }
}

async function measureFlush(
  ctx: FlushBenchContext,
  run: () => Promise<{ deleted: number; seconds: number; note?: string }>,
): Promise<FlushRun> {
  await seedFlushKeys(ctx.client);
  const before = await census(ctx.client);
  const { result, ping } = await withPinger(ctx.redisUrl, async () => {
    const statsBefore = await flushCommandStats(ctx.client);
    const flushed = await run();
    const statsAfter = await flushCommandStats(ctx.client);
    const redis = {
      scans: statsAfter.scans - statsBefore.scans,
      unlinks: statsAfter.unlinks - statsBefore.unlinks,
      usec: statsAfter.usec - statsBefore.usec,
    };
    return { ...flushed, redis };
  });
  if (result.deleted !== FLUSH_KEYS) {
    throw new Error(`The flush deleted ${result.deleted} keys, not the ${FLUSH_KEYS} seeded`);
  }
  const after = await census(ctx.client);
  return {
    ...result,
    ping,
    keysAtStart: before.dbSize,
    others: {
      before: before.dbSize - FLUSH_KEYS - before.stateKeys,
      after: after.dbSize - after.stateKeys,
      expired: after.expired - before.expired,
    },
  };
}

/** The Cache page's flush: the startFlushJob server action over HTTP, then the job polled until done. */
async function consoleFlush(ctx: FlushBenchContext, pattern = FLUSH_PATTERN) {
  const action = serverAction(ctx.serverJs, "lib/actions/cache.ts", "startFlushJob");
  const requested = Date.now();
  const response = await fetch(`${ctx.base}${action.page}`, {
    method: "POST",
    headers: {
      cookie: ctx.cookie,
      "Next-Action": action.id,
      "Content-Type": "text/plain;charset=UTF-8",
      Origin: ctx.base,
    },
    body: JSON.stringify([{ conn: CONN, pattern, confirm: pattern }]),
  });
  const text = await response.text();
  const id = /"id":"([0-9a-f-]{36})"/.exec(text)?.[1];
  if (!text.includes('"ok":true') || !id) throw new Error(`startFlushJob failed: ${text.slice(0, 300)}`);
  let job: JobSnapshot;
  do {
    await sleep(JOB_POLL_MS);
    job = await getJson<JobSnapshot>(`${ctx.base}/api/cache/jobs/${id}`, ctx.cookie);
  } while (job.state === "running");
  if (job.state !== "done") throw new Error(`The flush job ended ${job.state}: ${job.error?.message}`);
  const { jobs } = await getJson<{ jobs: JobSnapshot[] }>(
    `${ctx.base}/api/cache/jobs?conn=${CONN}`,
    ctx.cookie,
  );
  if (!jobs.some((listed) => listed.id === id && listed.state === "done")) {
    throw new Error("The finished job is missing from /api/cache/jobs");
  }
  return {
    deleted: job.deleted,
    // From the action's request to the job's end: the request, the job and its start all count.
    seconds: (job.finishedAt! - requested) / 1000,
    note: `the job itself reported ${job.ratePerSec.toLocaleString("en-US")} keys/s over ${((job.finishedAt! - job.startedAt) / 1000).toFixed(2)} s, ${job.scanned.toLocaleString("en-US")} keys scanned`,
  };
}

/** SCAN MATCH COUNT 1000 on one connection, each batch's UNLINK sent without waiting (pipelined with the next SCAN). */
async function plainFlush(redisUrl: string, pattern = FLUSH_PATTERN) {
  const redis = new Redis(redisUrl, { protocol: 2, connectionName: "bench:plain-flush" });
  try {
    await redis.ping();
    const started = performance.now();
    const unlinks: Promise<number>[] = [];
    let cursor = "0";
    do {
      const [next, found] = await redis.scanBuffer(cursor, "MATCH", pattern, "COUNT", SCAN_COUNT);
      if (found.length > 0) unlinks.push(redis.unlink(...found));
      cursor = next.toString();
    } while (cursor !== "0");
    const deleted = (await Promise.all(unlinks)).reduce((sum, n) => sum + n, 0);
    return {
      deleted,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    redis.disconnect();
  }
}

// ——— report ———

const yes = (ok: boolean) => (ok ? "yes" : "**no**");

/** "≥ floor" met or not; a miss that rounds to the floor shows its exact ratio, so "0.95×, no" reads right. */
function atLeast(ratio: number, floor: number): string {
  if (ratio >= floor) return "yes";
  return ratio.toFixed(2) === floor.toFixed(2) ? `**no** (${ratio.toFixed(4)}×)` : "**no**";
}
const rate = (keys: number, seconds: number) =>
  `${Math.round(keys / seconds).toLocaleString("en-US")} keys/s`;
const count = (n: number) => n.toLocaleString("en-US");
const ms = (value: number) => `${value.toFixed(2)} ms`;

function pingText(ping: PingSummary): string {
  return `p50 ${ms(ping.p50)}, p99 ${ms(ping.p99)}, max ${ms(ping.max)}`;
}

function workText(run: Side): string {
  const { scans, unlinks, usec } = run.redis;
  const perScan = Math.round(run.keysAtStart / Math.max(1, scans));
  return `${count(scans)} SCAN calls (about ${count(perScan)} keys each), ${count(unlinks)} UNLINK calls, ${(usec / 1000).toFixed(0)} ms of Redis time in them`;
}

function othersText(run: FlushRun): string {
  const { before, after, expired } = run.others;
  return `${count(before)} before, ${count(after)} after, ${count(expired)} expired meanwhile`;
}

function othersIntact(run: FlushRun): boolean {
  const { before, after, expired } = run.others;
  return after <= before && before - after <= expired;
}

export interface FlushReport {
  /** Rows of the cache table: | benchmark | plain ioredis | console | ratio | target | met? | */
  rows: string[];
  /** Bullet lines under the table. */
  notes: string[];
}

/**
 * Two flushes a side, console, plain, plain, console, each over freshly seeded keys: whatever drifts
 * over the run (the machine's load, Redis's tables after a million deletes) weighs on both alike.
 */
const ORDER = ["console", "plain", "plain", "console"] as const;

/** A side's flushes taken together: their keys over their time, their worst PING figures. */
interface Side {
  deleted: number;
  seconds: number;
  ping: PingSummary;
  redis: FlushWork;
  keysAtStart: number;
  runs: FlushRun[];
}

function side(runs: FlushRun[]): Side {
  const sum = (of: (run: FlushRun) => number) => runs.reduce((total, run) => total + of(run), 0);
  const worst = (of: (ping: PingSummary) => number) => Math.max(...runs.map((run) => of(run.ping)));
  return {
    deleted: sum((run) => run.deleted),
    seconds: sum((run) => run.seconds),
    ping: {
      count: sum((run) => run.ping.count),
      p50: worst((p) => p.p50),
      p99: worst((p) => p.p99),
      max: worst((p) => p.max),
    },
    redis: {
      scans: sum((run) => run.redis.scans),
      unlinks: sum((run) => run.redis.unlinks),
      usec: sum((run) => run.redis.usec),
    },
    keysAtStart: sum((run) => run.keysAtStart),
    runs,
  };
}

/**
 * Both ways once over a few keys first, unmeasured, as the HTTP rows are warmed up: the server
 * loads the action's page and the job's code on first use (0.2 s here), and Redis compiles the
 * job's script the first time it is sent.
 */
async function warmUp(ctx: FlushBenchContext): Promise<void> {
  for (const flush of [
    () => consoleFlush(ctx, "flushwarm:*"),
    () => plainFlush(ctx.redisUrl, "flushwarm:*"),
  ]) {
    await seedFlushKeys(ctx.client, "flushwarm:", WARM_UP_KEYS);
    const { deleted } = await flush();
    if (deleted !== WARM_UP_KEYS)
      throw new Error(`The warm-up flush deleted ${deleted} keys, not ${WARM_UP_KEYS}`);
  }
}

export async function flushBenchmark(ctx: FlushBenchContext): Promise<FlushReport> {
  await warmUp(ctx);
  const runs: Record<(typeof ORDER)[number], FlushRun[]> = { console: [], plain: [] };
  for (const who of ORDER) {
    runs[who].push(
      await measureFlush(ctx, who === "console" ? () => consoleFlush(ctx) : () => plainFlush(ctx.redisUrl)),
    );
  }
  const [consoleSide, plainSide] = [side(runs.console), side(runs.plain)];
  const ratio = consoleSide.deleted / consoleSide.seconds / (plainSide.deleted / plainSide.seconds);
  const pingOk = consoleSide.ping.p99 < 5 && consoleSide.ping.max < 20;
  const each = (of: (run: FlushRun) => string) => (who: Side) => who.runs.map(of).join("; ");
  const flushes = each((run) => `${rate(run.deleted, run.seconds)} in ${run.seconds.toFixed(2)} s`);
  return {
    rows: [
      `| Flush ${count(FLUSH_KEYS)} keys by pattern, twice: keys deleted/s | ${rate(plainSide.deleted, plainSide.seconds)} (${plainSide.seconds.toFixed(2)} s) | ${rate(consoleSide.deleted, consoleSide.seconds)} (${consoleSide.seconds.toFixed(2)} s) | ${ratio.toFixed(2)}× | ≥ ${FLOOR}× | ${atLeast(ratio, FLOOR)} |`,
      `| Another client's PING during the flushes (the worse flush's) | ${pingText(plainSide.ping)} | ${pingText(consoleSide.ping)} | — | p99 < 5 ms, max < 20 ms | ${yes(pingOk)} |`,
      `| Other keys intact after each flush | ${othersText(plainSide.runs[0]!)} | ${othersText(consoleSide.runs[0]!)} | — | none lost | ${yes([...runs.console, ...runs.plain].every(othersIntact))} |`,
    ],
    notes: [
      `- Flush: ${count(FLUSH_KEYS)} keys \`${FLUSH_PREFIX}<n>\` (value "v") seeded before each flush among the ${count(plainSide.runs[0]!.others.before)} others; pattern \`${FLUSH_PATTERN}\`; after one unmeasured flush of ${count(WARM_UP_KEYS)} keys each way (the server loads the action's page and the job's code on first use), four flushes in the order ${ORDER.join(", ")}, each side's rate its keys over its time. Console: the \`startFlushJob\` server action over HTTP (POST with \`Next-Action\`), the job polled every ${JOB_POLL_MS} ms at \`/api/cache/jobs/<id>\` until done; the time runs from the action's request to the job's \`finishedAt\`; ${runs.console.map((run) => run.note).join("; ")}. The job paces its batch by Redis's own time per step, read from Redis's clock (lib/cache/pacing.ts). Plain: SCAN MATCH COUNT ${SCAN_COUNT}, each batch's UNLINK pipelined behind the next SCAN on one connection. Every flush deleted exactly ${count(FLUSH_KEYS)} keys (asserted, from UNLINK's replies).`,
      `- Each flush: console ${flushes(consoleSide)}; plain ${flushes(plainSide)}.`,
      `- Redis's side (INFO commandstats over the flushes): console ${workText(consoleSide)}; plain ${workText(plainSide)}.`,
      `- PING: a separate process sends one PING at a time for each whole flush (${count(plainSide.ping.count)} round trips during the plain flushes, ${count(consoleSide.ping.count)} during the console's), timed in that process.`,
      `- Other keys: DBSIZE less the pattern's keys and the console's own (\`${statePrefix()}*\`); seeded cache keys with short TTLs expire during a long run, so "intact" means no fewer than before less INFO \`expired_keys\` meanwhile.`,
    ],
  };
}
