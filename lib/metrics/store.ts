import "server-only";
import { stateKey } from "@/lib/console-state";
import { decodePoint, encodeFeedMessage, encodePoint, type StoredPoint } from "@/lib/metrics/codec";
import type { SeriesPoint } from "@/lib/metrics/sample";
import { withState } from "@/lib/redis/gate";

// Metric history in console state (DESIGN.md: Live data), so charts survive a console restart and
// the instances that do not hold the lease chart what the holder sampled:
//   metrics:<conn>          stream of 1-second points, capped a little above an hour
//   metrics:minutes:<conn>  stream of 60-second buckets, capped a little above a day
//   metrics:feed:<conn>     pub/sub channel announcing each 1-second point as it is written
// Followers take new points from the feed instead of reading the stream every second: every read
// (XRANGE, GET) counts as a keyspace hit on that Redis, and would show an idle server a 100% hit
// rate. The streams are only read when a sampler starts, or after its feed connection dropped.
//
// The 24-hour range has a stream of its own rather than 86,400 1-second entries: a restart then
// loads ~1,500 entries instead of ~90,000, and console state holds ~2 MB per connection, not ~35 MB.

export const SECONDS_STREAM_MAXLEN = 4_000;
export const MINUTES_STREAM_MAXLEN = 1_600;
const FIELD = "p";

export function secondsStreamKey(connectionId: string): string {
  return stateKey("metrics", connectionId);
}

export function minutesStreamKey(connectionId: string): string {
  return stateKey("metrics", "minutes", connectionId);
}

export function feedChannel(connectionId: string): string {
  return stateKey("metrics", "feed", connectionId);
}

async function append(key: string, maxLength: number, text: string): Promise<string> {
  const id = await withState((state) => state.xadd(key, "MAXLEN", "~", maxLength, "*", FIELD, text));
  if (id === null) throw new Error(`XADD to ${key} returned no id`);
  return id;
}

/** Stores a 1-second point and announces it on the feed; returns its stream id. */
export async function writeSecond(connectionId: string, point: SeriesPoint): Promise<string> {
  const text = encodePoint(point);
  const id = await append(secondsStreamKey(connectionId), SECONDS_STREAM_MAXLEN, text);
  await withState((state) => state.publish(feedChannel(connectionId), encodeFeedMessage(id, text)));
  return id;
}

export async function writeMinute(connectionId: string, point: SeriesPoint): Promise<void> {
  await append(minutesStreamKey(connectionId), MINUTES_STREAM_MAXLEN, encodePoint(point));
}

function decodeEntries(entries: [id: string, fields: string[]][]): StoredPoint[] {
  const out: StoredPoint[] = [];
  for (const [id, fields] of entries) {
    const point = fields[0] === FIELD ? decodePoint(fields[1]) : null;
    if (point) out.push({ id, point });
  }
  return out;
}

/** The newest `count` entries, oldest first (XREVRANGE … COUNT: bounded whatever the stream holds). */
export async function readNewest(key: string, count: number): Promise<StoredPoint[]> {
  const entries = await withState((state) => state.xrevrange(key, "+", "-", "COUNT", count));
  return decodeEntries(entries.reverse());
}

/** Up to `count` entries after `id`, oldest first. */
export async function readAfter(key: string, id: string, count: number): Promise<StoredPoint[]> {
  return decodeEntries(await withState((state) => state.xrange(key, `(${id}`, "+", "COUNT", count)));
}
