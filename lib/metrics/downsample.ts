import { isGap, isReset, type Sample, type SeriesPoint } from "@/lib/metrics/sample";

// Long ranges are charted from buckets, not from every 1-second sample (1 h → 10 s buckets,
// 24 h → 60 s buckets). One point per bucket:
//   - counters keep the bucket's LAST value, so the delta between two bucket points is exactly the
//     traffic of the later bucket, and counters stay monotone;
//   - gauges (used memory, fragmentation, clients, blocked clients, keys) keep the bucket's MAXIMUM:
//     a peak near maxmemory or a burst of blocked clients is what an operator looks for, and a mean
//     would hide it; maxmemory, a setting, keeps the last value.
// A gap mark or a counter reset closes the open bucket early, so no two output points form a step
// across a gap or a restart.

function withReset(sample: Sample, reset: boolean): Sample {
  const { reset: _previous, ...rest } = sample;
  return reset ? { ...rest, reset: true } : rest;
}

function merge(bucket: Sample, next: Sample): Sample {
  return withReset(
    {
      ...next,
      usedMemory: Math.max(bucket.usedMemory, next.usedMemory),
      fragmentation: Math.max(bucket.fragmentation, next.fragmentation),
      clients: Math.max(bucket.clients, next.clients),
      blocked: Math.max(bucket.blocked, next.blocked),
      keys: Math.max(bucket.keys, next.keys),
    },
    bucket.reset === true,
  );
}

/** Incremental bucketing: points go in one at a time, each closed bucket comes out through `emit`. */
export class Downsampler {
  private open: { index: number; sample: Sample } | null = null;
  private previous: Sample | null = null;

  constructor(
    readonly bucketMs: number,
    private readonly emit: (point: SeriesPoint) => void,
  ) {}

  push(point: SeriesPoint): void {
    if (isGap(point)) {
      this.flush();
      this.previous = null;
      this.emit(point);
      return;
    }
    const reset = this.previous !== null && isReset(this.previous, point);
    const index = Math.floor(point.at / this.bucketMs);
    if (this.open && (reset || this.open.index !== index)) this.flush();
    this.open = this.open
      ? { index, sample: merge(this.open.sample, point) }
      : { index, sample: withReset(point, reset) };
    this.previous = point;
  }

  /** Closes the open bucket, e.g. at the end of a series. */
  flush(): void {
    if (!this.open) return;
    const { sample } = this.open;
    this.open = null;
    this.emit(sample);
  }

  /** The bucket still filling, as it stands: the live right edge of a long chart. */
  peek(): Sample | null {
    return this.open?.sample ?? null;
  }

  /** Drops an open bucket that ends at or before `at`: another instance already closed and stored it. */
  discardThrough(at: number): void {
    if (!this.open || this.open.sample.at > at) return;
    this.open = null;
    this.previous = null;
  }
}

/** A whole series in buckets of `bucketMs` (aligned to the epoch, so buckets are stable across polls). */
export function downsample(series: readonly SeriesPoint[], bucketMs: number): SeriesPoint[] {
  const out: SeriesPoint[] = [];
  const downsampler = new Downsampler(bucketMs, (point) => out.push(point));
  for (const point of series) downsampler.push(point);
  downsampler.flush();
  return out;
}
