import type { OwnCounters } from "@/lib/metrics/own-counters";
import { isGap, isReset, type Sample, type SeriesPoint } from "@/lib/metrics/sample";

// The console's own counts as a sample stores them, settled against the sample before it
// (settleOwn): another instance's count may run a little ahead of INFO.

/** The console's own counts, as a sample stores them. */
export interface OwnTotals {
  hits: number;
  misses: number;
  commands: number;
  calls: Record<string, number>;
}

/** What settling a sample's own counts needs of the sample before it, taken by the same sampler. */
export interface SettledBefore {
  /** INFO's counters then. */
  info: { hits: number; misses: number; commands: number; calls: Record<string, number> };
  /** The own counts as counted then, and as stored (settled) then. */
  counted: OwnTotals;
  settled: OwnTotals;
}

/**
 * The own counts to store with a sample. Another instance's count arrives a moment after INFO was
 * read, so it may hold commands Redis ran after INFO: taken out of this step, they would be taken
 * out of the application's traffic here and left in it in the next step. So a step never takes out
 * more of a counter than Redis counted in it (of the total, no more than Redis counted less the
 * calls by name the console did not send), and what it could not take out goes into the next
 * step, and no further (a count that ran ahead for another reason must not eat the application's
 * traffic for good). Without `before` (first sample, another sampler, a restart), as counted.
 */
export function settleOwn(
  before: SettledBefore | null,
  info: SettledBefore["info"],
  counted: OwnTotals,
): OwnTotals {
  if (!before) return counted;
  const settle = (
    now: number,
    countedThen?: number,
    settledThen?: number,
    infoThen?: number,
    infoNow?: number,
  ) => {
    if (
      countedThen === undefined ||
      settledThen === undefined ||
      infoThen === undefined ||
      infoNow === undefined
    )
      return now;
    const counted = infoNow - infoThen;
    if (counted < 0) return now;
    return Math.max(Math.min(countedThen, now), Math.min(now, settledThen + counted));
  };
  const calls: Record<string, number> = {};
  for (const [name, count] of Object.entries(counted.calls)) {
    calls[name] = settle(
      count,
      before.counted.calls[name],
      before.settled.calls[name],
      before.info.calls[name],
      info.calls[name],
    );
  }
  // Calls Redis counted in the step under a name the console sent fewer of (the application's SETs)
  // are surely not the console's: the total takes out no more than the rest.
  let notOwn = 0;
  for (const [name, count] of Object.entries(info.calls)) {
    const then = before.info.calls[name];
    if (then === undefined || count < then) continue;
    const own = (calls[name] ?? 0) - (before.settled.calls[name] ?? 0);
    notOwn += Math.max(0, count - then - Math.max(0, own));
  }
  return {
    hits: settle(counted.hits, before.counted.hits, before.settled.hits, before.info.hits, info.hits),
    misses: settle(
      counted.misses,
      before.counted.misses,
      before.settled.misses,
      before.info.misses,
      info.misses,
    ),
    commands: settle(
      counted.commands,
      before.counted.commands,
      before.settled.commands,
      before.info.commands,
      info.commands - notOwn,
    ),
    calls,
  };
}

/** One sampler's settling: remembers each sample's own counts as counted, to settle the next. */
export class OwnSettler {
  private last: { at: number; counted: OwnTotals } | null = null;

  /** The own counts to store with `next`, given the point before it in the series. */
  settle(
    prev: SeriesPoint | undefined,
    next: Sample,
    own: { by: number; shared?: true },
    counted: OwnTotals,
  ): OwnCounters {
    const before = this.before(prev, next, own.by);
    this.last = { at: next.at, counted };
    return { ...own, ...settleOwn(before, next, counted) };
  }

  /** The sample before `next` with its own counts, if this sampler took it and the counters went on. */
  private before(prev: SeriesPoint | undefined, next: Sample, by: number): SettledBefore | null {
    if (!prev || isGap(prev) || prev.own?.by !== by || this.last?.at !== prev.at) return null;
    if (isReset(prev, next) || prev.own.commands === undefined) return null;
    return {
      info: prev,
      counted: this.last.counted,
      settled: {
        hits: prev.own.hits,
        misses: prev.own.misses,
        commands: prev.own.commands,
        calls: prev.own.calls ?? {},
      },
    };
  }
}
