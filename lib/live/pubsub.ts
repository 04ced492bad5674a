import "server-only";
import { encodeWire, MESSAGE_OVERHEAD_BYTES, SharedMessage, toPayload } from "@/lib/live/payload";
import type { RedisNode } from "@/lib/redis/client";
import type { RedisClient } from "@/lib/redis/client";
import { displayBytes } from "@/lib/redis/keys";
import { createDedicatedClient } from "@/lib/redis/registry";

// One subscriber connection per Redis connection per console process, shared by every tab
// (DESIGN.md: Live data). Channels, patterns and shard channels are reference-counted: the first
// listener subscribes, the last one to leave unsubscribes. ioredis resubscribes after a reconnect;
// the time Redis was away is reported as a gap, since pub/sub does not replay.
//
// Shard channels (SSUBSCRIBE, Redis 7 — DESIGN.md: Scale): on a single Redis they share the one
// subscriber connection; on a cluster, ioredis keeps one more subscriber connection per master
// (`shardedSubscribers`) and sends each SSUBSCRIBE to the master that owns the channel's slot.

export type PubSubKind = "channel" | "pattern" | "shard";

export interface PubSubMessage {
  kind: PubSubKind;
  channel: Buffer;
  pattern?: Buffer;
  payload: Buffer;
}

export interface PubSubListener {
  /** The message, encoded once for all listeners (DESIGN.md: one hub per process). */
  onMessage: (message: SharedMessage) => void;
  onGap: (gap: { from: number; to: number | null }) => void;
}

/**
 * Patterns come back from ioredis as UTF-8 strings, so they are keyed by that form; a pattern that
 * is not valid UTF-8 is not supported (channels and shard channels are exact bytes).
 */
function subscriptionId(kind: PubSubKind, name: Buffer): string {
  const bytes = kind === "pattern" ? Buffer.from(name.toString("utf8"), "utf8") : name;
  return `${kind}:${bytes.toString("base64")}`;
}

interface Subscription {
  kind: PubSubKind;
  name: Buffer;
  listeners: Set<PubSubListener>;
}

export class PubSubHub {
  private readonly subscriber: RedisClient;
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly everyone = new Set<PubSubListener>();
  private downSince: number | null = null;
  private readonly names = new Map<string, string>();

  constructor(readonly connectionId: string) {
    // shardedSubscribers only changes a cluster connection; a single Redis takes SSUBSCRIBE as it is.
    this.subscriber = createDedicatedClient(connectionId, "subscriber", { shardedSubscribers: true });
    const sub = this.subscriber as RedisNode;
    sub.on("messageBuffer", (channel: Buffer, payload: Buffer) =>
      this.dispatch(subscriptionId("channel", channel), { kind: "channel", channel, payload }),
    );
    // Channel and payload arrive as Buffers (a cluster forwards them from the master's subscriber).
    sub.on("smessageBuffer", (channel: Buffer, payload: Buffer) =>
      this.dispatch(subscriptionId("shard", channel), { kind: "shard", channel, payload }),
    );
    // ioredis hands the pattern over as a string even here (channel and payload stay Buffers).
    sub.on("pmessageBuffer", (pattern: string | Buffer, channel: Buffer, payload: Buffer) => {
      const bytes = Buffer.isBuffer(pattern) ? pattern : Buffer.from(pattern, "utf8");
      this.dispatch(subscriptionId("pattern", bytes), { kind: "pattern", channel, pattern: bytes, payload });
    });
    sub.on("close", () => {
      if (this.downSince === null && this.subscriptions.size > 0) {
        this.downSince = Date.now();
        this.announceGap({ from: this.downSince, to: null });
      }
    });
    sub.on("ready", () => {
      if (this.downSince === null) return;
      const gap = { from: this.downSince, to: Date.now() };
      this.downSince = null;
      this.announceGap(gap);
    });
  }

  private dispatch(id: string, message: PubSubMessage): void {
    const subscription = this.subscriptions.get(id);
    if (!subscription) return;
    const at = Date.now();
    const channel = this.channelName(message.channel);
    const pattern = message.pattern && this.channelName(message.pattern);
    // A copy: ioredis hands out slices of its socket buffer, which a queued message would pin.
    const payload = Buffer.from(message.payload);
    const shared = new SharedMessage(
      () => encodeWire({ at, source: message.kind, channel, pattern, payload: toPayload(payload) }),
      message.channel.length + payload.length + MESSAGE_OVERHEAD_BYTES,
    );
    for (const listener of subscription.listeners) listener.onMessage(shared);
  }

  /** Channel names repeat message after message: display them once. */
  private channelName(bytes: Buffer): string {
    const id = bytes.toString("latin1");
    let name = this.names.get(id);
    if (name === undefined) {
      if (this.names.size >= 1_000) this.names.clear();
      name = displayBytes(bytes);
      this.names.set(id, name);
    }
    return name;
  }

  private announceGap(gap: { from: number; to: number | null }): void {
    for (const listener of this.everyone) listener.onGap(gap);
  }

  /** Number of channels, patterns and shard channels this process is subscribed to in Redis. */
  get size(): number {
    return this.subscriptions.size;
  }

  listenerCount(kind: PubSubKind, name: Buffer): number {
    return this.subscriptions.get(subscriptionId(kind, name))?.listeners.size ?? 0;
  }

  async add(kind: PubSubKind, name: Buffer, listener: PubSubListener): Promise<void> {
    const id = subscriptionId(kind, name);
    this.everyone.add(listener);
    const existing = this.subscriptions.get(id);
    if (existing) {
      existing.listeners.add(listener);
      return;
    }
    this.subscriptions.set(id, { kind, name, listeners: new Set([listener]) });
    const sub = this.subscriber as RedisNode;
    try {
      // ioredis types patterns as strings, but sends Buffers as they are.
      if (kind === "channel") await sub.subscribe(name);
      else if (kind === "shard") await sub.ssubscribe(name);
      else await sub.psubscribe(name as unknown as string);
    } catch (error) {
      this.subscriptions.delete(id);
      throw error;
    }
  }

  async remove(kind: PubSubKind, name: Buffer, listener: PubSubListener): Promise<void> {
    const id = subscriptionId(kind, name);
    const subscription = this.subscriptions.get(id);
    if (!subscription?.listeners.delete(listener)) return;
    if (subscription.listeners.size > 0) return;
    this.subscriptions.delete(id);
    const sub = this.subscriber as RedisNode;
    // The very Buffer that subscribed: on a cluster, ioredis remembers shard channels to resubscribe
    // after a topology change and forgets one on SUNSUBSCRIBE by identity (Array#includes), so an
    // equal Buffer from another tab would leave it there to be resubscribed.
    const { name: subscribed } = subscription;
    // Best effort: if Redis is away, the subscription is gone from our map and will not be renewed.
    const done =
      kind === "channel"
        ? sub.unsubscribe(subscribed)
        : kind === "shard"
          ? sub.sunsubscribe(subscribed)
          : sub.punsubscribe(subscribed as unknown as string);
    await done.catch(() => undefined);
  }

  /** Forgets a listener everywhere (a tab that closed). */
  async removeListener(listener: PubSubListener): Promise<void> {
    this.everyone.delete(listener);
    const owned = [...this.subscriptions.values()].filter((s) => s.listeners.has(listener));
    await Promise.all(owned.map((s) => this.remove(s.kind, s.name, listener)));
  }

  async close(): Promise<void> {
    this.subscriptions.clear();
    this.everyone.clear();
    await this.subscriber.quit().catch(() => undefined);
  }
}

const globalHubs = globalThis as unknown as { __consolePubSubHubs?: Map<string, PubSubHub> };

export function pubSubHub(connectionId: string): PubSubHub {
  globalHubs.__consolePubSubHubs ??= new Map();
  let hub = globalHubs.__consolePubSubHubs.get(connectionId);
  if (!hub) {
    hub = new PubSubHub(connectionId);
    globalHubs.__consolePubSubHubs.set(connectionId, hub);
  }
  return hub;
}

/** Connection id → channels, patterns and shard channels this process is subscribed to in Redis. */
export function pubSubSubscriptionCounts(): Map<string, number> {
  const hubs = globalHubs.__consolePubSubHubs?.values() ?? [];
  return new Map([...hubs].map((hub) => [hub.connectionId, hub.size]));
}

/** For tests and shutdown. */
export async function closePubSubHubs(): Promise<void> {
  const hubs = [...(globalHubs.__consolePubSubHubs?.values() ?? [])];
  globalHubs.__consolePubSubHubs?.clear();
  await Promise.all(hubs.map((hub) => hub.close()));
}
