import "server-only";
import { AppError, type ErrorTranslator } from "@/lib/errors";
import { countDroppedMessages } from "@/lib/live/drops";
import type { SharedMessage } from "@/lib/live/payload";
import { MessageRing } from "@/lib/live/ring";
import { isMessageTarget, QUEUE_BYTES, QUEUE_LIMIT, targetId, type WatchTarget } from "@/lib/live/protocol";
import { watchFeed, type FeedWatch } from "@/lib/live/feeds";
import { pubSubHub, type PubSubListener } from "@/lib/live/pubsub";
import { watchStream } from "@/lib/live/stream-tail";
import { typedBytes } from "@/lib/redis/keys";

// One tab's channel on its browser's SSE stream (DESIGN.md: Live data). Every tab of a browser
// shares one stream (lib/live/browser-stream); each tab keeps its own watch set here, for one Redis
// connection, and its own bounded queue: messages wait and leave in frames every ~50 ms (or as
// soon as a full frame waits), tagged with the tab's id (a `tab:` line the browser's relay routes
// by). When the browser cannot keep up (the shared response is full), each tab drops its own
// oldest messages and is told how many.

const MAX_TARGETS = 50;
/** Per frame, so one frame stays small enough to parse without a hitch in the page. */
const FRAME_MESSAGES = 1_000;
const FRAME_BYTES = 256 * 1024;

/** Where a tab writes: its browser's stream. */
export interface TabSink {
  readonly stream: ReadableStream<Uint8Array>;
  /** Writes whole events; false when the browser is not reading (nothing was written). */
  write(text: string): boolean;
  /** Bytes the response can still take before the browser counts as slow. */
  room(): number;
  /** A full frame waits in a tab's queue: flush soon, without waiting for the next ~50 ms tick. */
  frameReady(): void;
  /** Error messages (a failed job's) in the browser's language. */
  readonly translateError: ErrorTranslator;
}

export class LiveClient {
  /** Shared messages waiting for this tab; the oldest has seq `headSeq`. */
  private readonly queue = new MessageRing(QUEUE_LIMIT, QUEUE_BYTES);
  private headSeq = 1;
  private dropped = 0;
  private readonly watching = new Map<string, { target: WatchTarget; stop: () => Promise<void> | void }>();
  private closed = false;
  private flushing = false;
  /** Whether this tab used the connection's pub/sub hub (a metrics-only tab never opens it). */
  private usedHub = false;
  private readonly listener: PubSubListener;

  constructor(
    /** Chosen by the browser, unique within its stream. */
    readonly id: string,
    readonly connectionId: string,
    readonly username: string,
    private readonly sink: TabSink,
    private readonly onClose: (client: LiveClient) => void,
  ) {
    this.listener = {
      onMessage: (message) => this.push(message),
      onGap: (gap) => this.send("gap", { connection: connectionId, ...gap }),
    };
    this.send("hello", { client: id, connection: connectionId, watching: [], queueLimit: QUEUE_LIMIT });
  }

  /** The browser's stream this tab writes to. */
  get stream(): ReadableStream<Uint8Array> {
    return this.sink.stream;
  }

  private push(message: SharedMessage): void {
    if (this.closed) return;
    const dropped = this.queue.push(message);
    // A full frame leaves at once (in turn with the stream's other tabs) rather than on the tick:
    // at more than QUEUE_LIMIT messages per tick, waiting for it would drop what the browser
    // could have read (bench/RESULTS.md, the live rows).
    if (this.queue.length === FRAME_MESSAGES || this.queue.bytes >= FRAME_BYTES) this.sink.frameReady();
    if (dropped === 0) return;
    this.headSeq += dropped;
    this.dropped += dropped;
    countDroppedMessages(this.connectionId, dropped);
  }

  private write(text: string): boolean {
    if (this.closed) return false;
    // No room: the browser is not reading; keep messages in our bounded queue instead.
    return this.sink.write(`tab: ${this.id}\n${text}`);
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
  flush(): void {
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
    while ((this.queue.length > 0 || this.dropped > 0) && this.sink.room() > 0 && !this.closed) {
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
        throw AppError.of("INVALID", "tooManyTargets", { max: MAX_TARGETS });
      }
      if (!isMessageTarget(target)) {
        const feed: FeedWatch = watchFeed(
          this.connectionId,
          target,
          this.sendEncoded,
          this.sink.translateError,
        );
        this.watching.set(id, { target, stop: feed.stop });
        await feed.ready;
        continue;
      }
      const name = typedBytes(target.name);
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

  /** Releases everything this tab held; safe to call more than once. The stream goes on. */
  async close(_reason: string): Promise<void> {
    if (this.closed) return;
    this.closed = true;
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
  }
}
