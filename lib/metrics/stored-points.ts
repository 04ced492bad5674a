import "server-only";
import type { StoredPoint } from "@/lib/metrics/codec";
import type { SeriesPoint } from "@/lib/metrics/sample";
import { BUCKETS_RING_CAPACITY, SECONDS_RING_CAPACITY, type MetricsSeries } from "@/lib/metrics/series";
import { minutesStreamKey, readAfter, readNewest, secondsStreamKey } from "@/lib/metrics/store";

// The points a sampler did not take itself (DESIGN.md: Live data): the recent history in console
// state when it starts, and the lease holder's points from the feed as they are written
// (lib/metrics/feed.ts). Feed points that arrive while a stream is being read wait, so they land
// after the older points; after the feed connection dropped, the points written meanwhile come
// from the stream.

const HOUR_MS = 60 * 60_000;
const DAY_MS = 24 * HOUR_MS;

export class StoredPoints {
  /** The stream id of the newest 1-second point this instance holds, written here or received. */
  lastStreamId: string | null = null;
  /** Feed points held back while the stream is being read. */
  private held: StoredPoint[] | null = null;

  constructor(
    private readonly connectionId: string,
    private readonly series: MetricsSeries,
    /** Adds a point taken elsewhere to the sampler's series; false when it is not newer. */
    private readonly add: (point: SeriesPoint) => boolean,
  ) {}

  /** A point from the feed. */
  receive(stored: StoredPoint): void {
    if (this.held) {
      if (this.held.length < SECONDS_RING_CAPACITY) this.held.push(stored);
      return;
    }
    if (this.add(stored.point)) this.lastStreamId = stored.id;
  }

  /** The recent history from console state: the day's buckets, then the hour's 1-second points. */
  load(): Promise<void> {
    return this.holdingFeed(async () => {
      const [buckets, seconds] = await Promise.all([
        readNewest(minutesStreamKey(this.connectionId), BUCKETS_RING_CAPACITY),
        readNewest(secondsStreamKey(this.connectionId), SECONDS_RING_CAPACITY),
      ]);
      const now = Date.now();
      this.series.addStoredBuckets(
        buckets.map(({ point }) => point).filter((point) => point.at >= now - DAY_MS),
      );
      for (const { point } of seconds) if (point.at >= now - HOUR_MS) this.add(point);
      this.lastStreamId = seconds[seconds.length - 1]?.id ?? this.lastStreamId;
    });
  }

  /** After the feed connection dropped: the points written meanwhile, from the stream. */
  catchUp(): Promise<void> {
    const after = this.lastStreamId;
    if (!after) return Promise.resolve();
    return this.holdingFeed(async () => {
      for (const stored of await readAfter(
        secondsStreamKey(this.connectionId),
        after,
        SECONDS_RING_CAPACITY,
      )) {
        if (this.add(stored.point)) this.lastStreamId = stored.id;
      }
    });
  }

  /** Runs `read` with feed points held back, then adds them after what `read` added. */
  private async holdingFeed(read: () => Promise<void>): Promise<void> {
    if (this.held) return;
    this.held = [];
    try {
      await read();
    } catch {
      // Console state unreachable: carry on with what memory holds.
    }
    const held = this.held;
    this.held = null;
    for (const stored of held) this.receive(stored);
  }
}
