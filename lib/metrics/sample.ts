import { ownCommandsOf, stepReads, type OwnCounters } from "@/lib/metrics/own-counters";
import { parseKeyValueList, parseKeyspace, type InfoSections } from "@/lib/redis/info";

// One INFO reading reduced to what the charts need, and the arithmetic over series of them.
// Pure (no I/O), so the hit-rate and rate math is unit-tested on known traffic.
//
// A series is samples in time order with gap marks between them. Two consecutive samples with no
// mark between them form a step; every rate and hit rate comes from the counter deltas of a step,
// never from lifetime totals, which mix today's traffic with last month's.

/** Commands kept per sample (by lifetime calls): enough for a "top commands" chart, small in JSON. */
export const TOP_COMMANDS_KEPT = 10;

export interface Sample {
  at: number;
  // Counters: they only grow, until Redis restarts or CONFIG RESETSTAT runs.
  hits: number;
  misses: number;
  expired: number;
  evicted: number;
  commands: number;
  netIn: number;
  netOut: number;
  /** Calls per command (`get`, `client|setname`) for the TOP_COMMANDS_KEPT most called. */
  calls: Record<string, number>;
  // Gauges.
  usedMemory: number;
  /** Sum of the nodes' maxmemory; 0 when any node has no limit. */
  maxMemory: number;
  fragmentation: number;
  clients: number;
  blocked: number;
  keys: number;
  /** The youngest node's uptime in seconds and the node count: either changing means a restart. */
  uptime: number;
  nodes: number;
  /** Set by downsampling: the counters restarted between the previous point and this one. */
  reset?: true;
  /**
   * The sampling console process's own keyspace reads on this connection since it started
   * (lib/redis/own-reads.ts), and which process that was: the hit rate leaves them out. Its own
   * commands too, in all and for the commands in `calls`: ops/s and the command series leave them out.
   */
  own?: OwnCounters;
}

/** Why a series has a hole: Redis did not answer INFO, or nobody was sampling (no viewers, console down). */
export type GapReason = "unreachable" | "not-sampled";

export interface GapMark {
  at: number;
  gap: GapReason;
}

export type SeriesPoint = Sample | GapMark;

export function isGap(point: SeriesPoint): point is GapMark {
  return "gap" in point;
}

const COUNTERS = ["hits", "misses", "expired", "evicted", "commands", "netIn", "netOut"] as const;

function num(section: Record<string, string> | undefined, key: string): number {
  const value = Number(section?.[key]);
  return Number.isFinite(value) ? value : 0;
}

/** `cmdstat_get:calls=3,usec=9,…` lines → { get: 3 }. */
export function parseCommandStats(section: Record<string, string> | undefined): Record<string, number> {
  const calls: Record<string, number> = {};
  for (const [field, value] of Object.entries(section ?? {})) {
    if (!field.startsWith("cmdstat_")) continue;
    const count = parseKeyValueList(value).calls;
    if (count !== undefined && Number.isFinite(count)) calls[field.slice("cmdstat_".length)] = count;
  }
  return calls;
}

function topCalls(calls: Map<string, number>, limit: number): Record<string, number> {
  const ranked = [...calls].sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  return Object.fromEntries(ranked.slice(0, limit));
}

/**
 * One sample from the INFO of every data node, summed (DESIGN.md: Scale). Fragmentation is the
 * nodes' ratios weighted by their used memory, which is what one big node would report.
 */
export function toSample(nodes: InfoSections[], at: number): Sample {
  const sample: Sample = {
    at,
    hits: 0,
    misses: 0,
    expired: 0,
    evicted: 0,
    commands: 0,
    netIn: 0,
    netOut: 0,
    calls: {},
    usedMemory: 0,
    maxMemory: 0,
    fragmentation: 0,
    clients: 0,
    blocked: 0,
    keys: 0,
    uptime: Number.POSITIVE_INFINITY,
    nodes: nodes.length,
  };
  const calls = new Map<string, number>();
  let weightedFragmentation = 0;
  let unlimited = false;
  for (const info of nodes) {
    sample.hits += num(info.stats, "keyspace_hits");
    sample.misses += num(info.stats, "keyspace_misses");
    sample.expired += num(info.stats, "expired_keys");
    sample.evicted += num(info.stats, "evicted_keys");
    sample.commands += num(info.stats, "total_commands_processed");
    sample.netIn += num(info.stats, "total_net_input_bytes");
    sample.netOut += num(info.stats, "total_net_output_bytes");
    const used = num(info.memory, "used_memory");
    sample.usedMemory += used;
    weightedFragmentation += num(info.memory, "mem_fragmentation_ratio") * used;
    const max = num(info.memory, "maxmemory");
    unlimited ||= max === 0;
    sample.maxMemory += max;
    sample.clients += num(info.clients, "connected_clients");
    sample.blocked += num(info.clients, "blocked_clients");
    sample.keys += parseKeyspace(info.keyspace).reduce((sum, db) => sum + db.keys, 0);
    sample.uptime = Math.min(sample.uptime, num(info.server, "uptime_in_seconds"));
    for (const [name, count] of Object.entries(parseCommandStats(info.commandstats))) {
      calls.set(name, (calls.get(name) ?? 0) + count);
    }
  }
  if (unlimited) sample.maxMemory = 0;
  if (nodes.length === 0) sample.uptime = 0;
  sample.fragmentation = sample.usedMemory > 0 ? round(weightedFragmentation / sample.usedMemory) : 0;
  sample.calls = topCalls(calls, TOP_COMMANDS_KEPT);
  return sample;
}

/**
 * Whether the counters restarted between two samples: a counter went down (restart, CONFIG
 * RESETSTAT, a failover to a replica), the youngest node got younger, or the node count changed.
 */
export function isReset(prev: Sample, next: Sample): boolean {
  return (
    next.reset === true ||
    next.nodes !== prev.nodes ||
    next.uptime < prev.uptime ||
    COUNTERS.some((counter) => next[counter] < prev[counter])
  );
}

export interface Rates {
  from: number;
  to: number;
  reset: false;
  seconds: number;
  /** Keyspace hits and misses during the step (counts, not per second). */
  hits: number;
  misses: number;
  opsPerSec: number;
  expiredPerSec: number;
  evictedPerSec: number;
  netInPerSec: number;
  netOutPerSec: number;
  /** Per command present in both samples. */
  commandsPerSec: Record<string, number>;
  /** The sampling console's own commands per second, left out of `opsPerSec` and `commandsPerSec`. */
  consolePerSec: number;
}

/** A step with no rate: the counters restarted (or the clock did not move), so a delta would lie. */
export interface NoRate {
  from: number;
  to: number;
  reset: true;
}

export function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** Per-second rates over one step. */
export function rates(prev: Sample, next: Sample): Rates | NoRate {
  const seconds = (next.at - prev.at) / 1_000;
  if (seconds <= 0 || isReset(prev, next)) return { from: prev.at, to: next.at, reset: true };
  const perSecond = (counter: (typeof COUNTERS)[number]) => round((next[counter] - prev[counter]) / seconds);
  const own = ownCommandsOf(prev, next);
  const commandsPerSec: Record<string, number> = {};
  for (const [name, calls] of Object.entries(next.calls)) {
    const before = prev.calls[name];
    if (before === undefined || calls < before) continue;
    const mine = Math.min(calls - before, own.calls[name] ?? 0);
    commandsPerSec[name] = round((calls - before - mine) / seconds);
  }
  const commands = next.commands - prev.commands;
  return {
    from: prev.at,
    to: next.at,
    reset: false,
    seconds,
    ...stepReads(prev, next),
    opsPerSec: round((commands - Math.min(commands, own.total)) / seconds),
    consolePerSec: round(Math.min(commands, own.total) / seconds),
    expiredPerSec: perSecond("expired"),
    evictedPerSec: perSecond("evicted"),
    netInPerSec: perSecond("netIn"),
    netOutPerSec: perSecond("netOut"),
    commandsPerSec,
  };
}

/** Calls `visit` for every step: consecutive samples with no gap mark between them. */
export function forEachStep(
  series: readonly SeriesPoint[],
  visit: (prev: Sample, next: Sample) => void,
): void {
  let prev: Sample | null = null;
  for (const point of series) {
    if (isGap(point)) {
      prev = null;
      continue;
    }
    if (prev) visit(prev, point);
    prev = point;
  }
}

export interface HitRate {
  /** hits / (hits + misses); null when there were no reads — neither 100% nor 0% would be true. */
  ratio: number | null;
  hits: number;
  misses: number;
}

/**
 * The window's hit rate: Δhits / (Δhits + Δmisses) summed over the steps that end inside
 * [from, to] (the same steps the window's chart points show), skipping steps across a gap or a
 * restart, whose delta would be wrong or negative.
 */
export function hitRate(series: readonly SeriesPoint[], from: number, to: number): HitRate {
  let hits = 0;
  let misses = 0;
  forEachStep(series, (prev, next) => {
    if (next.at < from || next.at > to || isReset(prev, next)) return;
    const reads = stepReads(prev, next);
    hits += reads.hits;
    misses += reads.misses;
  });
  return { ratio: hits + misses > 0 ? hits / (hits + misses) : null, hits, misses };
}

/**
 * The mark to put before `next` when it comes too long after the previous sample: nobody sampled
 * in between (no viewer, console down), so a chart must not draw a line across that time.
 */
export function gapBefore(
  prev: SeriesPoint | undefined,
  next: SeriesPoint,
  maxStepMs: number,
): GapMark | null {
  if (!prev || isGap(prev) || next.at - prev.at <= maxStepMs) return null;
  return { at: prev.at + 1, gap: "not-sampled" };
}

/** The series with a "not-sampled" mark wherever two samples are more than `maxStepMs` apart. */
export function markGaps(series: readonly SeriesPoint[], maxStepMs: number): SeriesPoint[] {
  const out: SeriesPoint[] = [];
  for (const point of series) {
    const mark = gapBefore(out[out.length - 1], point, maxStepMs);
    if (mark) out.push(mark);
    out.push(point);
  }
  return out;
}
