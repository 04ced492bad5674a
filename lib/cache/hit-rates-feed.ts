import "server-only";
import { epochMinute } from "@/lib/cache/hit-counter";
import { hitRatesFrom, readMinutes, type MinuteRead } from "@/lib/cache/namespace-hits";
import { hitRateWindow, type HitRateRange } from "@/lib/cache/namespace-hits-math";
import { FeedViewers, type FeedViewer } from "@/lib/live/feed-viewers";
import { HIT_RATES_READ_MS, type HitRatesEvent } from "@/lib/live/protocol";
import { perConnection, Poller } from "@/lib/live/poller";
import { toAppError } from "@/lib/redis/errors";
import { findConnection } from "@/lib/redis/registry";

// The Cache page's hit rate by namespace as a live feed (DESIGN.md: Live data): one reader per
// connection in the process, whatever the number of tabs, for every range they watch. It keeps the
// minutes it read and, every few seconds, reads again only the ones still being counted (and any
// the window newly needs), so a 24-hour chart costs a few dozen HSCANs a read rather than 1,440.
// Older minutes are read again a slice at a time, the whole window every five minutes, for counts
// an application wrote into an older minute.
//
// Across console instances each instance reads for its own tabs: the reads are small and a
// follower would have to read the leader's figures back from Redis anyway (see README).

export interface HitRatesReaderOptions {
  intervalMs?: number;
  graceMs?: number;
  /** How often every minute of the window is read again (a slice at each read). */
  fullReadMs?: number;
}

const EVENT = "hitRates";

export class HitRatesReader {
  private readonly minutes = new Map<number, MinuteRead>();
  private readonly ranges = new Map<HitRateRange, FeedViewers>();
  /** The newest minute of the last read: it and the one before may have changed since. */
  private lastMinute = Number.NEGATIVE_INFINITY;
  /** Where the next slice of older minutes starts, counted from the window's first minute. */
  private sweep = 0;
  private readonly fullReadMs: number;
  readonly poller: Poller;

  constructor(
    readonly connectionId: string,
    options: HitRatesReaderOptions = {},
  ) {
    this.fullReadMs = options.fullReadMs ?? 5 * 60_000;
    this.poller = new Poller(() => this.read(), {
      intervalMs: options.intervalMs ?? HIT_RATES_READ_MS,
      graceMs: options.graceMs ?? 30_000,
      label: `hit rates of "${connectionId}"`,
      onIdle: () => this.forget(),
    });
  }

  /** A tab watches a range: the newest figures at once if this range is read already, else after a read. */
  watch(range: HitRateRange, viewer: FeedViewer): { ready: Promise<void>; stop: () => void } {
    let viewers = this.ranges.get(range);
    if (!viewers) {
      viewers = new FeedViewers(EVENT);
      this.ranges.set(range, viewers);
    }
    const release = this.poller.acquire();
    const ready = viewers.add(viewer) ? Promise.resolve() : this.poller.readNow();
    const watched = viewers;
    return {
      ready,
      stop: () => {
        watched.remove(viewer);
        if (watched.size === 0 && this.ranges.get(range) === watched) this.ranges.delete(range);
        release();
      },
    };
  }

  private forget(): void {
    this.minutes.clear();
    this.lastMinute = Number.NEGATIVE_INFINITY;
    this.sweep = 0;
  }

  private async read(): Promise<void> {
    const ranges = [...this.ranges.keys()];
    // Nobody watches (the grace after the last tab): no work, the minutes wait for a reload.
    if (ranges.length === 0) return;
    const now = Date.now();
    const first = Math.min(...ranges.map((range) => hitRateWindow(range, now).firstMinute));
    const last = epochMinute(now);
    const wanted = new Set<number>();
    for (let minute = first; minute <= last; minute++) {
      // Not read yet, or still being counted at the last read.
      if (minute >= this.lastMinute - 1 || !this.minutes.has(minute)) wanted.add(minute);
    }
    // And a slice of the older ones, so the whole window is read again every `fullReadMs` at an
    // even pace rather than in one burst.
    const span = last - first + 1;
    const slice = Math.min(span, Math.ceil((span * this.poller.options.intervalMs) / this.fullReadMs));
    for (let i = 0; i < slice; i++) wanted.add(first + ((this.sweep + i) % span));
    this.sweep = (this.sweep + slice) % span;
    let reads: Map<number, MinuteRead>;
    try {
      reads = await readMinutes(
        this.connectionId,
        [...wanted].sort((a, b) => a - b),
      );
    } catch (error) {
      const appError = toAppError(error);
      for (const [range, viewers] of this.ranges) {
        viewers.fail((translate) =>
          JSON.stringify({
            connectionId: this.connectionId,
            range,
            rates: null,
            error: appError.toBody(translate),
          } satisfies HitRatesEvent),
        );
      }
      return;
    }
    for (const [minute, read] of reads) this.minutes.set(minute, read);
    for (const minute of this.minutes.keys()) if (minute < first) this.minutes.delete(minute);
    this.lastMinute = last;
    for (const [range, viewers] of this.ranges) {
      const event: HitRatesEvent = {
        connectionId: this.connectionId,
        range,
        rates: hitRatesFrom(range, now, this.minutes),
        error: null,
      };
      viewers.push(JSON.stringify(event));
    }
  }
}

const readers = perConnection<HitRatesReader>("__consoleHitRatesReaders");

/** The process's hit-rates reader for a connection, made on first use. */
export function hitRatesReader(connectionId: string, options?: HitRatesReaderOptions): HitRatesReader {
  const id = findConnection(connectionId).id;
  return readers.get(id, () => new HitRatesReader(id, options));
}

/** For tests and shutdown. */
export function closeHitRatesReaders(): Promise<void> {
  return readers.close();
}
