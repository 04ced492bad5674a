import "server-only";
import { randomBytes } from "node:crypto";
import { AppError } from "@/lib/errors";
import type { SharedMessage } from "@/lib/live/payload";
import { MessageRing } from "@/lib/live/ring";
import {
  BATCH_INTERVAL_MS,
  HEARTBEAT_MS,
  QUEUE_BYTES,
  QUEUE_LIMIT,
  RETRY_MS,
  targetId,
  type WatchTarget,
} from "@/lib/live/protocol";
import { watchConnectionJobs, watchMetrics, type FeedWatch } from "@/lib/live/feeds";
import { pubSubHub, type PubSubListener } from "@/lib/live/pubsub";
import { watchStream } from "@/lib/live/stream-tail";
import { parseDisplayedBytes } from "@/lib/redis/keys";

// One SSE stream per browser tab (DESIGN.md: Live data). Messages wait in a bounded queue and
// leave in frames every ~50 ms; when the tab cannot keep up (the response stream is full), the
// oldest are dropped and the tab is told how many. Memory per tab is bounded by QUEUE_LIMIT.

const MAX_TARGETS = 50;
/** Per frame, so one frame stays small enough to parse without a hitch in the page. */
const FRAME_MESSAGES = 1_000;
const FRAME_BYTES = 256 * 1024;
const encoder = new TextEncoder();

function nameBytes(name: string): Buffer {
  return parseDisplayedBytes(name) ?? Buffer.from(name, "utf8");
}

export class LiveClient {
  readonly id = randomBytes(12).toString("base64url");
  readonly stream: ReadableStream<Uint8Array>;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  /** Shared messages waiting for this tab; the oldest has seq `headSeq`. */
  private readonly queue = new MessageRing(QUEUE_LIMIT, QUEUE_BYTES);
  private headSeq = 1;
  private dropped = 0;
  private readonly watching = new Map<string, { target: WatchTarget; stop: () => Promise<void> | void }>();
  private readonly timers: NodeJS.Timeout[] = [];
  private closed = false;
  private flushing = false;
  /** Whether this tab used the connection's pub/sub hub (a metrics-only tab never opens it). */
  private usedHub = false;
  private readonly listener: PubSubListener;

  constructor(
    readonly connectionId: string,
    readonly username: string,
    expiresAt: number,
    private readonly onClose: (client: LiveClient) => void,
  ) {
    this.listener = {
      onMessage: (message) => this.push(message),
      onGap: (gap) => this.send("gap", { connection: connectionId, ...gap }),
    };
    this.stream = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.controller = controller;
          controller.enqueue(encoder.encode(`retry: ${RETRY_MS}\n\n`));
          this.send("hello", {
            client: this.id,
            connection: connectionId,
            watching: [],
            queueLimit: QUEUE_LIMIT,
          });
        },
        // The browser reads again: send what waited without waiting for the next tick.
        pull: () => this.flush(),
        cancel: () => this.close("the browser closed the stream"),
      },
      // Up to ~256 KB may wait in the response; beyond that the client is slow: messages stay in
      // the bounded queue, and the oldest are dropped.
      new ByteLengthQueuingStrategy({ highWaterMark: 256 * 1024 }),
    );
    this.timers.push(setInterval(() => this.flush(), BATCH_INTERVAL_MS));
    this.timers.push(setInterval(() => this.write(": heartbeat\n\n"), HEARTBEAT_MS));
    const untilExpiry = expiresAt - Date.now();
    if (Number.isFinite(untilExpiry)) {
      this.timers.push(
        setTimeout(() => this.end("Your session has ended. Sign in again."), Math.max(untilExpiry, 0)),
      );
    }
  }

  private push(message: SharedMessage): void {
    if (this.closed) return;
    const dropped = this.queue.push(message);
    this.headSeq += dropped;
    this.dropped += dropped;
  }

  private write(text: string): boolean {
    if (this.closed) return false;
    // desiredSize ≤ 0: the browser is not reading; keep messages in our bounded queue instead.
    if ((this.controller.desiredSize ?? 0) <= 0) return false;
    try {
      this.controller.enqueue(encoder.encode(text));
      return true;
    } catch {
      void this.close("the stream broke");
      return false;
    }
  }

  private send(event: string, data: unknown, id?: number): boolean {
    return this.write(
      `${id === undefined ? "" : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`,
    );
  }

  /** An event already encoded (and maybe shared between tabs). Messages waiting go first. */
  private sendEncoded = (event: string, json: string): boolean => {
    this.flush();
    return this.write(`event: ${event}\ndata: ${json}\n\n`);
  };

  /** Sends what waits, in frames of at most FRAME_MESSAGES / FRAME_BYTES, while the browser reads. */
  private flush(): void {
    // enqueue() can call pull() → flush() synchronously; one flush at a time keeps frames unique.
    if (this.flushing) return;
    this.flushing = true;
    try {
      this.flushFrames();
    } finally {
      this.flushing = false;
    }
  }

  private flushFrames(): void {
    while (
      (this.queue.length > 0 || this.dropped > 0) &&
      (this.controller.desiredSize ?? 0) > 0 &&
      !this.closed
    ) {
      let count = 0;
      let size = 0;
      const parts: string[] = [];
      while (count < this.queue.length && count < FRAME_MESSAGES && size < FRAME_BYTES) {
        const message = this.queue.at(count);
        parts.push(message.json);
        size += message.json.length;
        count += 1;
      }
      const last = this.headSeq + count - 1;
      const frame =
        `id: ${last}\nevent: batch\n` +
        `data: {"firstSeq":${this.headSeq},"dropped":${this.dropped},"messages":[${parts.join(",")}]}\n\n`;
      if (!this.write(frame)) return;
      for (let i = 0; i < count; i++) this.queue.shift();
      this.headSeq += count;
      this.dropped = 0;
    }
  }

  get targets(): WatchTarget[] {
    return [...this.watching.values()].map((w) => w.target);
  }

  /** For tests: messages waiting in this tab's queue. */
  get queued(): number {
    return this.queue.length;
  }

  /** For tests: bytes waiting in this tab's queue. */
  get queuedByteCount(): number {
    return this.queue.bytes;
  }

  async watch(targets: WatchTarget[]): Promise<void> {
    for (const target of targets) {
      const id = targetId(target);
      if (this.watching.has(id)) continue;
      if (this.watching.size >= MAX_TARGETS) {
        throw new AppError(
          "INVALID",
          `A tab can watch at most ${MAX_TARGETS} channels, patterns, shard channels and streams.`,
        );
      }
      if (target.kind === "metrics" || target.kind === "jobs") {
        const feed: FeedWatch =
          target.kind === "metrics"
            ? watchMetrics(this.connectionId, target.name, this.sendEncoded)
            : watchConnectionJobs(this.connectionId, this.sendEncoded);
        this.watching.set(id, { target, stop: feed.stop });
        await feed.ready;
        continue;
      }
      const name = nameBytes(target.name);
      if (target.kind === "stream") {
        const tail = watchStream(this.connectionId, name, (entry) => this.push(entry));
        this.watching.set(id, { target, stop: tail.stop });
        await tail.ready;
      } else {
        // Channels, patterns and shard channels: one shared, reference-counted subscription each.
        const hub = pubSubHub(this.connectionId);
        this.usedHub = true;
        await hub.add(target.kind, name, this.listener);
        this.watching.set(id, { target, stop: () => hub.remove(target.kind, name, this.listener) });
      }
    }
    this.send("watching", { watching: this.targets });
  }

  async unwatch(targets: WatchTarget[]): Promise<void> {
    for (const target of targets) {
      const id = targetId(target);
      const entry = this.watching.get(id);
      if (!entry) continue;
      this.watching.delete(id);
      await entry.stop();
    }
    this.send("watching", { watching: this.targets });
  }

  /** Ends the stream with a reason the page can show. */
  end(reason: string): void {
    this.flush();
    this.send("end", { reason });
    void this.close(reason);
  }

  /** Releases everything this tab held; safe to call more than once. */
  async close(_reason: string): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    this.queue.clear();
    const stops = [...this.watching.values()].map((w) => w.stop());
    this.watching.clear();
    this.onClose(this);
    await Promise.allSettled(stops);
    if (this.usedHub) {
      await pubSubHub(this.connectionId)
        .removeListener(this.listener)
        .catch(() => undefined);
    }
    try {
      this.controller.close();
    } catch {
      // already closed by the browser
    }
  }
}

const globalClients = globalThis as unknown as { __consoleLiveClients?: Map<string, LiveClient> };

function clients(): Map<string, LiveClient> {
  globalClients.__consoleLiveClients ??= new Map();
  return globalClients.__consoleLiveClients;
}

export function openLiveClient(connectionId: string, username: string, expiresAt: number): LiveClient {
  const client = new LiveClient(connectionId, username, expiresAt, (closed) => clients().delete(closed.id));
  clients().set(client.id, client);
  return client;
}

/** The tab's stream, if it belongs to this user; a tab can only change what it watches itself. */
export function findLiveClient(id: string, username: string): LiveClient {
  const client = clients().get(id);
  if (!client || client.username !== username) {
    throw new AppError("NOT_FOUND", "That live stream has ended; the page reconnects by itself.");
  }
  return client;
}

export function liveClientCount(): number {
  return clients().size;
}

/** Signing out ends that user's live streams too. */
export function endLiveClientsOf(username: string, reason: string): void {
  for (const client of [...clients().values()]) if (client.username === username) client.end(reason);
}
