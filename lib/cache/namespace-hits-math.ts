import { epochMinute, MINUTE_MS } from "@/lib/cache/hit-counter";
import { HIT_RATE_RANGE_NAMES, type HitRateRange } from "@/lib/validation/ranges";

// The arithmetic behind the Cache page's hit rate by namespace: which minutes a range covers, and
// per namespace the window's totals and a series of points, from the per-minute counters that
// applications write (lib/cache/hit-counter.ts). Pure, so the page and tests can use it too.
// A point without reads is "no reads" (null), never 0 %: an idle minute did not miss.

export interface HitRateRangeSpec {
  label: string;
  minutes: number;
  /** Minutes per chart point; 24 hours at one point per minute would be 1,440 points per line. */
  stepMinutes: number;
}

export const HIT_RATE_RANGES = {
  "15m": { label: "15 minutes", minutes: 15, stepMinutes: 1 },
  "1h": { label: "hour", minutes: 60, stepMinutes: 1 },
  "24h": { label: "24 hours", minutes: 24 * 60, stepMinutes: 10 },
} as const satisfies Record<HitRateRange, HitRateRangeSpec>;

export { HIT_RATE_RANGE_NAMES, type HitRateRange };

/** Lines on one chart at most, busiest first; more would be unreadable. */
export const MAX_CHARTED_NAMESPACES = 8;

/** The counters of one namespace in one minute, as read from that minute's hash. */
export interface MinuteCount {
  minute: number;
  namespace: string;
  hits: number;
  misses: number;
}

export interface HitRatePoint {
  /** Start of the point's first minute, Unix ms. */
  at: number;
  hits: number;
  misses: number;
  /** hits / (hits + misses); null when nothing was read. */
  hitRate: number | null;
}

export interface NamespaceHitRate {
  namespace: string;
  hits: number;
  misses: number;
  hitRate: number | null;
  /** One point per step of the window, oldest first; the same times for every namespace. */
  series: HitRatePoint[];
}

export interface HitRateWindow {
  firstMinute: number;
  /** The current minute, still being counted. */
  lastMinute: number;
  stepMinutes: number;
  points: number;
}

export function hitRatio(hits: number, misses: number): number | null {
  const reads = hits + misses;
  return reads === 0 ? null : hits / reads;
}

/**
 * The minutes a range covers up to `now`. Points start on multiples of the step, so a point keeps
 * its minutes from one poll to the next and the chart does not shift under the reader.
 */
export function hitRateWindow(range: HitRateRange, now: number): HitRateWindow {
  const { minutes, stepMinutes } = HIT_RATE_RANGES[range];
  const lastMinute = epochMinute(now);
  const points = minutes / stepMinutes;
  const lastPoint = Math.floor(lastMinute / stepMinutes) * stepMinutes;
  return { firstMinute: lastPoint - (points - 1) * stepMinutes, lastMinute, stepMinutes, points };
}

/** Every minute of the window, oldest first: the counter hashes to read. */
export function windowMinutes(window: HitRateWindow): number[] {
  return Array.from({ length: window.lastMinute - window.firstMinute + 1 }, (_, i) => window.firstMinute + i);
}

interface Tally {
  hits: number;
  misses: number;
  perPoint: { hits: number; misses: number }[];
}

/**
 * Per namespace, the window's totals and series, busiest (most reads) first and at most
 * `maxNamespaces` of them; `otherNamespaces` counts the rest. Counts outside the window are ignored.
 */
export function summarizeHitRates(
  window: HitRateWindow,
  counts: readonly MinuteCount[],
  maxNamespaces = MAX_CHARTED_NAMESPACES,
): { namespaces: NamespaceHitRate[]; otherNamespaces: number } {
  const tallies = new Map<string, Tally>();
  for (const count of counts) {
    if (count.minute < window.firstMinute || count.minute > window.lastMinute) continue;
    if (count.hits + count.misses <= 0) continue;
    let tally = tallies.get(count.namespace);
    if (!tally) {
      const perPoint = Array.from({ length: window.points }, () => ({ hits: 0, misses: 0 }));
      tally = { hits: 0, misses: 0, perPoint };
      tallies.set(count.namespace, tally);
    }
    const point = tally.perPoint[Math.floor((count.minute - window.firstMinute) / window.stepMinutes)]!;
    point.hits += count.hits;
    point.misses += count.misses;
    tally.hits += count.hits;
    tally.misses += count.misses;
  }
  const ranked = [...tallies].sort(
    ([a, x], [b, y]) => y.hits + y.misses - (x.hits + x.misses) || (a < b ? -1 : a > b ? 1 : 0),
  );
  const pointTime = (index: number) => (window.firstMinute + index * window.stepMinutes) * MINUTE_MS;
  const namespaces = ranked.slice(0, maxNamespaces).map(([namespace, tally]) => ({
    namespace,
    hits: tally.hits,
    misses: tally.misses,
    hitRate: hitRatio(tally.hits, tally.misses),
    series: tally.perPoint.map((point, index) => ({
      at: pointTime(index),
      hits: point.hits,
      misses: point.misses,
      hitRate: hitRatio(point.hits, point.misses),
    })),
  }));
  return { namespaces, otherNamespaces: Math.max(0, ranked.length - maxNamespaces) };
}
