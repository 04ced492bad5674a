import { Downsampler, downsample } from "@/lib/metrics/downsample";
import {
  buildHistory,
  latestOf,
  windowOf,
  type MetricsHistory,
  type MetricsLatest,
} from "@/lib/metrics/history";
import { METRICS_RANGES, type MetricsRange } from "@/lib/metrics/ranges";
import { Ring } from "@/lib/metrics/ring";
import { gapBefore, type SeriesPoint } from "@/lib/metrics/sample";

// A connection's metric history in memory: the last hour at 1 s (1m, 15m and 1h charts) and the
// last day in 60-second buckets (24h chart), both fed by the same 1-second points. No I/O: the
// sampler decides where points come from and what gets stored.

const HOUR_MS = 60 * 60_000;
/** An hour at 1 s, plus room for gap marks and tick jitter so the 1-hour chart is full. */
export const SECONDS_RING_CAPACITY = 3_720;
/** A day in 60-second buckets, plus room for gap marks and buckets split by a restart. */
export const BUCKETS_RING_CAPACITY = 1_600;

export interface SeriesOptions {
  intervalMs: number;
  /** The bucket of the 24-hour series. */
  longBucketMs: number;
}

export class MetricsSeries {
  readonly intervalMs: number;
  readonly longBucketMs: number;
  /** Longer than this between two samples means nobody sampled in between. */
  readonly maxStepMs: number;
  private readonly seconds = new Ring<SeriesPoint>(SECONDS_RING_CAPACITY);
  private readonly buckets = new Ring<SeriesPoint>(BUCKETS_RING_CAPACITY);
  private readonly bucketer: Downsampler;
  private onBucket: ((bucket: SeriesPoint) => void) | null = null;

  constructor(options: SeriesOptions) {
    this.intervalMs = options.intervalMs;
    this.longBucketMs = options.longBucketMs;
    this.maxStepMs = 5 * options.intervalMs;
    this.bucketer = new Downsampler(options.longBucketMs, (bucket) => {
      if (this.addBucket(bucket)) this.onBucket?.(bucket);
    });
  }

  last(): SeriesPoint | undefined {
    return this.seconds.last();
  }

  /**
   * Adds a 1-second point, with a "not-sampled" mark first when it comes after a silence; `onBucket`
   * receives each 24-hour bucket this closes. A point no newer than the last is dropped (false):
   * the sampling instance hears its own points back, and instances' clocks may differ a little.
   */
  append(point: SeriesPoint, onBucket?: (bucket: SeriesPoint) => void): boolean {
    const last = this.seconds.last();
    if (last && point.at <= last.at) return false;
    this.onBucket = onBucket ?? null;
    try {
      const mark = gapBefore(last, point, this.maxStepMs);
      if (mark) this.keep(mark);
      this.keep(point);
    } finally {
      this.onBucket = null;
    }
    return true;
  }

  /** Buckets stored by whichever instance sampled them, oldest first (loading after a restart). */
  addStoredBuckets(buckets: readonly SeriesPoint[]): void {
    for (const bucket of buckets) {
      // The bucket being filled here may be one another instance already closed and stored.
      this.bucketer.discardThrough(bucket.at);
      this.addBucket(bucket);
    }
  }

  private keep(point: SeriesPoint): void {
    this.seconds.push(point);
    // A point a stored bucket already covers must not be counted a second time.
    const lastBucket = this.buckets.last();
    if (!lastBucket || point.at > lastBucket.at) this.bucketer.push(point);
  }

  private addBucket(bucket: SeriesPoint): boolean {
    const last = this.buckets.last();
    if (last && bucket.at <= last.at) return false;
    // A safety net for stored buckets: a gap mark whose write was lost.
    const mark = gapBefore(last, bucket, 2 * this.longBucketMs + this.maxStepMs);
    if (mark) this.buckets.push(mark);
    this.buckets.push(bucket);
    return true;
  }

  history(range: MetricsRange, now: number): MetricsHistory {
    const spec = METRICS_RANGES[range];
    const window = { range, from: now - spec.spanMs, to: now, maxStepMs: this.maxStepMs };
    // The 1-second ring holds an hour; longer ranges come from the buckets.
    if (spec.spanMs > HOUR_MS) {
      const series = windowOf(this.buckets.toArray(), window.from);
      const open = this.bucketer.peek();
      if (open) series.push(open);
      return buildHistory(series, { ...window, stepMs: this.longBucketMs });
    }
    const stepMs = Math.max(spec.stepMs, this.intervalMs);
    if (stepMs === this.intervalMs) {
      return buildHistory(windowOf(this.seconds.toArray(), window.from), { ...window, stepMs });
    }
    // Cut on a bucket boundary, so the bucket before the window is whole and the first point has a step.
    const cut = Math.floor(window.from / stepMs) * stepMs;
    const seconds = windowOf(this.seconds.toArray(), cut);
    return buildHistory(downsample(seconds, stepMs), { ...window, stepMs }, seconds);
  }

  latest(now: number): MetricsLatest {
    return latestOf(this.seconds.tail(2), now, this.maxStepMs);
  }
}
