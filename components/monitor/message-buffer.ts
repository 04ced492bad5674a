// The browser's hold on live messages: a bounded ring buffer, so a busy channel cannot grow the
// page's memory, and a rate tracker for the live charts. Pure, no React; unit-tested.
import type { LiveMessage } from "@/lib/live/protocol";

export const DEFAULT_CAPACITY = 10_000;

/** A message as the buffer holds it: `key` is unique in this tab, even across stream reconnects. */
export interface BufferedMessage extends LiveMessage {
  key: number;
}

export class MessageBuffer {
  private slots: (BufferedMessage | undefined)[];
  /** Index of the oldest message. */
  private head = 0;
  private count = 0;
  private received = 0;
  private readonly perChannel = new Map<string, number>();

  constructor(capacity = DEFAULT_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError("capacity must be a positive integer");
    this.slots = new Array<BufferedMessage | undefined>(capacity);
  }

  get capacity(): number {
    return this.slots.length;
  }

  /** Messages held now. */
  get size(): number {
    return this.count;
  }

  /** Messages pushed since the buffer was made or last cleared, evicted ones included. */
  get totalReceived(): number {
    return this.received;
  }

  /** Adds a message, evicting the oldest when full. O(1). */
  push(message: LiveMessage): BufferedMessage {
    this.received += 1;
    const held: BufferedMessage = { ...message, key: this.received };
    const capacity = this.slots.length;
    if (this.count === capacity) {
      const evicted = this.slots[this.head];
      if (evicted) this.uncount(evicted.channel);
      this.slots[this.head] = held;
      this.head = (this.head + 1) % capacity;
    } else {
      this.slots[(this.head + this.count) % capacity] = held;
      this.count += 1;
    }
    this.perChannel.set(held.channel, (this.perChannel.get(held.channel) ?? 0) + 1);
    return held;
  }

  pushMany(messages: Iterable<LiveMessage>): void {
    for (const message of messages) this.push(message);
  }

  /** Oldest first. */
  toArray(): BufferedMessage[] {
    const out = new Array<BufferedMessage>(this.count);
    for (let i = 0; i < this.count; i += 1) out[i] = this.slots[(this.head + i) % this.slots.length]!;
    return out;
  }

  /** Newest first, as the message table lists them. */
  newestFirst(): BufferedMessage[] {
    const out = new Array<BufferedMessage>(this.count);
    for (let i = 0; i < this.count; i += 1) {
      out[i] = this.slots[(this.head + this.count - 1 - i) % this.slots.length]!;
    }
    return out;
  }

  /** Messages held per channel (or stream key). */
  channelCounts(): Map<string, number> {
    return new Map(this.perChannel);
  }

  clear(): void {
    this.slots = new Array<BufferedMessage | undefined>(this.slots.length);
    this.head = 0;
    this.count = 0;
    this.received = 0;
    this.perChannel.clear();
  }

  /** Changes the bound; when it shrinks, the newest messages are kept. */
  resize(capacity: number): void {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError("capacity must be a positive integer");
    if (capacity === this.slots.length) return;
    const kept = this.toArray().slice(-capacity);
    for (const dropped of this.toArray().slice(0, this.count - kept.length)) this.uncount(dropped.channel);
    this.slots = new Array<BufferedMessage | undefined>(capacity);
    kept.forEach((message, index) => (this.slots[index] = message));
    this.head = 0;
    this.count = kept.length;
  }

  /** The buffer as JSON lines (oldest first), each line one message as the server sent it. */
  toJsonLines(): string {
    return this.toArray()
      .map(({ key: _key, ...message }) => JSON.stringify(message))
      .join("\n");
  }

  private uncount(channel: string): void {
    const left = (this.perChannel.get(channel) ?? 1) - 1;
    if (left > 0) this.perChannel.set(channel, left);
    else this.perChannel.delete(channel);
  }
}

/** One second of the chart: rates averaged over the tracker's window, ending at that second. */
export interface RatePoint {
  /** Start of the second (ms since epoch). */
  at: number;
  /** Messages per second, all channels. */
  messages: number;
  /** Payload bytes per second, all channels. */
  bytes: number;
  /** Messages per second by channel; channels without messages in the window are absent. */
  channels: Record<string, number>;
}

interface Bucket {
  messages: number;
  bytes: number;
  channels: Map<string, number>;
}

/**
 * Counts messages and bytes in one-second buckets, by the browser's clock at arrival, and reports
 * per-second rates over a sliding window for the last `points` seconds.
 */
export class RateTracker {
  private readonly buckets = new Map<number, Bucket>();
  readonly points: number;
  readonly windowSeconds: number;

  constructor({ points = 60, windowSeconds = 1 }: { points?: number; windowSeconds?: number } = {}) {
    this.points = points;
    this.windowSeconds = windowSeconds;
  }

  record(channel: string, bytes: number, now: number): void {
    const second = Math.floor(now / 1000);
    let bucket = this.buckets.get(second);
    if (!bucket) {
      bucket = { messages: 0, bytes: 0, channels: new Map() };
      this.buckets.set(second, bucket);
      this.prune(second);
    }
    bucket.messages += 1;
    bucket.bytes += bytes;
    bucket.channels.set(channel, (bucket.channels.get(channel) ?? 0) + 1);
  }

  /**
   * The last `points` complete seconds before `now`, oldest first; seconds without messages are
   * zeros, so the chart moves on an idle channel too.
   */
  series(now: number): RatePoint[] {
    const current = Math.floor(now / 1000);
    const out: RatePoint[] = [];
    for (let second = current - this.points; second < current; second += 1) {
      let messages = 0;
      let bytes = 0;
      // No prototype: a channel may be called "__proto__".
      const channels = Object.create(null) as Record<string, number>;
      for (let s = second - this.windowSeconds + 1; s <= second; s += 1) {
        const bucket = this.buckets.get(s);
        if (!bucket) continue;
        messages += bucket.messages;
        bytes += bucket.bytes;
        for (const [channel, n] of bucket.channels) channels[channel] = (channels[channel] ?? 0) + n;
      }
      for (const channel of Object.keys(channels)) {
        channels[channel] = (channels[channel] ?? 0) / this.windowSeconds;
      }
      out.push({
        at: second * 1000,
        messages: messages / this.windowSeconds,
        bytes: bytes / this.windowSeconds,
        channels,
      });
    }
    return out;
  }

  clear(): void {
    this.buckets.clear();
  }

  /** Drops buckets no chart point can reach any more. */
  private prune(current: number): void {
    const oldest = current - this.points - this.windowSeconds;
    for (const second of this.buckets.keys()) if (second < oldest) this.buckets.delete(second);
  }
}

/** The channels with the most messages over a series, busiest first. */
export function busiestChannels(series: RatePoint[], limit: number): string[] {
  const totals = new Map<string, number>();
  for (const point of series) {
    for (const [channel, rate] of Object.entries(point.channels)) {
      totals.set(channel, (totals.get(channel) ?? 0) + rate);
    }
  }
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([channel]) => channel);
}
