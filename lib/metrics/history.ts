import type { MetricsRange } from "@/lib/metrics/ranges";
import {
  forEachStep,
  hitRate,
  isGap,
  rates,
  round,
  type GapReason,
  type HitRate,
  type Sample,
  type SeriesPoint,
} from "@/lib/metrics/sample";

// A series → what the charts draw: one point per sample with the rates of the step ending there,
// and the gaps as intervals. Pure, and free of server imports, so a page may import its types.

export const TOP_COMMANDS_SHOWN = 5;

export interface MetricsPoint {
  at: number;
  /** Δhits / Δreads over the step ending here; null when `reads` is 0 ("no reads") or null. */
  hitRate: number | null;
  /** Keyspace reads (hits + misses) in the step; null when the point has no step (after a gap or restart). */
  reads: number | null;
  /** Every client's commands but this console's own (they are in `consolePerSec`). */
  opsPerSec: number | null;
  /** This console's own commands per second, left out of `opsPerSec` and `commandsPerSec`. */
  consolePerSec: number | null;
  /** Per command of the history's `topCommands`; null where that command has no rate. */
  commandsPerSec: Record<string, number | null>;
  expiredPerSec: number | null;
  evictedPerSec: number | null;
  netInPerSec: number | null;
  netOutPerSec: number | null;
  usedMemory: number;
  /** 0 = no maxmemory limit. */
  maxMemory: number;
  fragmentation: number;
  connectedClients: number;
  blockedClients: number;
  keys: number;
  /** Redis restarted (or its stats were reset) just before this point: no rates, rather than negative ones. */
  reset: boolean;
}

export interface MetricsGap {
  from: number;
  /** null: still going on at the history's `to`. */
  to: number | null;
  reason: GapReason;
}

export interface MetricsHistory {
  range: MetricsRange;
  from: number;
  to: number;
  /** The time one point covers (1 s, or the bucket of a downsampled range). */
  stepMs: number;
  points: MetricsPoint[];
  gaps: MetricsGap[];
  /** Over the whole window; `ratio` null means no reads happened in it. */
  hitRate: HitRate;
  /** The most called commands in the window, busiest first: the keys of each point's `commandsPerSec`. */
  topCommands: string[];
}

export interface HistoryWindow {
  range: MetricsRange;
  from: number;
  to: number;
  stepMs: number;
  /** Longer than this between two samples, and nobody was sampling. */
  maxStepMs: number;
}

function firstIndexAtOrAfter(series: readonly SeriesPoint[], at: number): number {
  let low = 0;
  let high = series.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (series[mid]!.at < at) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * The part of a time-ordered series a window needs: its points, plus the last sample before `from`
 * (and any marks after that sample), so the window's first point has a step and a rate.
 */
export function windowOf(series: readonly SeriesPoint[], from: number): SeriesPoint[] {
  let start = firstIndexAtOrAfter(series, from) - 1;
  while (start >= 0 && isGap(series[start]!)) start -= 1;
  return series.slice(Math.max(start, 0));
}

/** The `limit` commands with the most calls over the steps ending in [from, to]. */
export function rankCommands(
  series: readonly SeriesPoint[],
  from: number,
  to: number,
  limit: number,
): string[] {
  const totals = new Map<string, number>();
  forEachStep(series, (prev, next) => {
    if (next.at < from || next.at > to) return;
    const step = rates(prev, next);
    if (step.reset) return;
    for (const [name, perSecond] of Object.entries(step.commandsPerSec)) {
      totals.set(name, (totals.get(name) ?? 0) + perSecond * step.seconds);
    }
  });
  return [...totals]
    .filter(([, calls]) => calls > 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .slice(0, limit)
    .map(([name]) => name);
}

/** A chart point for `next`, with the rates of the step from `prev` (null: no step). */
export function toPoint(prev: Sample | null, next: Sample, topCommands: readonly string[]): MetricsPoint {
  const step = prev ? rates(prev, next) : null;
  const rated = step && !step.reset ? step : null;
  const reads = rated ? rated.hits + rated.misses : null;
  return {
    at: next.at,
    hitRate: rated && reads ? round(rated.hits / reads, 4) : null,
    reads,
    opsPerSec: rated?.opsPerSec ?? null,
    consolePerSec: rated?.consolePerSec ?? null,
    commandsPerSec: Object.fromEntries(
      topCommands.map((name) => [name, rated?.commandsPerSec[name] ?? null]),
    ),
    expiredPerSec: rated?.expiredPerSec ?? null,
    evictedPerSec: rated?.evictedPerSec ?? null,
    netInPerSec: rated?.netInPerSec ?? null,
    netOutPerSec: rated?.netOutPerSec ?? null,
    usedMemory: next.usedMemory,
    maxMemory: next.maxMemory,
    fragmentation: next.fragmentation,
    connectedClients: next.clients,
    blockedClients: next.blocked,
    keys: next.keys,
    reset: step?.reset ?? false,
  };
}

/**
 * The window's holes: each gap mark opens one that lasts until the next point; time before the
 * first point or after the last one (beyond a step's slack) was not sampled either.
 */
export function findGaps(series: readonly SeriesPoint[], window: HistoryWindow): MetricsGap[] {
  const { from, to } = window;
  const slack = window.stepMs + window.maxStepMs;
  const gaps: MetricsGap[] = [];
  const add = (gap: MetricsGap) => {
    const last = gaps[gaps.length - 1];
    if (last && last.to === gap.from && last.reason === gap.reason) last.to = gap.to;
    else gaps.push(gap);
  };
  const first = series[0];
  if (!first) return [{ from, to: null, reason: "not-sampled" }];
  if (first.at >= from && first.at - from > slack) add({ from, to: first.at, reason: "not-sampled" });
  series.forEach((point, index) => {
    if (!isGap(point)) return;
    const end = series[index + 1]?.at ?? null;
    if (end !== null && end <= from) return;
    add({ from: Math.max(point.at, from), to: end, reason: point.gap });
  });
  const last = series[series.length - 1]!;
  if (!isGap(last) && to - last.at > slack) add({ from: last.at, to: null, reason: "not-sampled" });
  return gaps;
}

/**
 * Everything a chart of one range needs, from a series already cut by `windowOf` (and downsampled).
 * The window's hit rate comes from `fine` when given: the same window at 1 s, so that no reads are
 * lost to a first bucket that has no bucket before it to take a delta from.
 */
export function buildHistory(
  series: readonly SeriesPoint[],
  window: HistoryWindow,
  fine: readonly SeriesPoint[] = series,
): MetricsHistory {
  const { from, to } = window;
  const topCommands = rankCommands(series, from, to, TOP_COMMANDS_SHOWN);
  const points: MetricsPoint[] = [];
  let prev: Sample | null = null;
  for (const point of series) {
    if (isGap(point)) {
      prev = null;
      continue;
    }
    if (point.at >= from && point.at <= to) points.push(toPoint(prev, point, topCommands));
    prev = point;
  }
  return {
    range: window.range,
    from,
    to,
    stepMs: window.stepMs,
    points,
    gaps: findGaps(series, window),
    hitRate: hitRate(fine, from, to),
    topCommands,
  };
}

export type SamplerRole = "sampling" | "following" | "stopped";

/** What GET /api/metrics answers and `event: metrics` carries: a range's history and the newest reading. */
export interface MetricsSnapshot {
  connectionId: string;
  history: MetricsHistory;
  latest: MetricsLatest & { sampler: SamplerRole };
}

export interface MetricsLatest {
  /** The newest sample with its 1-second rates; null while Redis is unreachable or before the first sample. */
  point: MetricsPoint | null;
  topCommands: string[];
  /** live: a fresh sample; unreachable: INFO failed; stale: no sample for a while (starting, or nobody sampling). */
  state: "live" | "unreachable" | "stale";
  /** When the unreachable or stale state began; null while live or when nothing was ever sampled. */
  since: number | null;
}

/** The newest reading of a 1-second series, as the "now" figures beside the charts. */
export function latestOf(series: readonly SeriesPoint[], now: number, maxStepMs: number): MetricsLatest {
  const last = series[series.length - 1];
  if (!last) return { point: null, topCommands: [], state: "stale", since: null };
  if (isGap(last)) {
    return {
      point: null,
      topCommands: [],
      state: last.gap === "unreachable" ? "unreachable" : "stale",
      since: last.at,
    };
  }
  const before = series[series.length - 2];
  const prev = before && !isGap(before) ? before : null;
  const topCommands = prev ? rankCommands([prev, last], last.at, last.at, TOP_COMMANDS_SHOWN) : [];
  const stale = now - last.at > maxStepMs;
  return {
    point: toPoint(prev, last, topCommands),
    topCommands,
    state: stale ? "stale" : "live",
    since: stale ? last.at : null,
  };
}
