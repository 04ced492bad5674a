"use client";

// The browser end of DESIGN.md "Live data": one channel per tab and connection on the browser's one
// stream (components/live/transport), shared by every component of the tab that watches something
// (through useLiveStream). Each subscriber keeps the targets it wants; the channel asks the server
// for their union, and asks again whenever the stream is new (a reconnect, or another tab taking
// over), so it restores what the page watched.

import { liveTransport, randomId, type LiveReason, type RelayStatus } from "@/components/live/transport";
import { api, type WatchChange } from "@/components/query/api";
import { ApiError, fetchJson } from "@/components/query/fetch-json";
import {
  targetId,
  type BatchEvent,
  withSeq,
  type EndEvent,
  type GapEvent,
  type HitRatesEvent,
  type JobEvent,
  type JobsEvent,
  type LiveMessage,
  type MetricsEvent,
  type SlowLogEvent,
  type WatchingEvent,
  type WatchTarget,
} from "@/lib/live/protocol";

export type LiveStatus = "connecting" | "open" | "reconnecting" | "ended";

/** A span when this tab's stream was not open (browser side); `to` is null while it lasts. */
export interface Interruption {
  from: number;
  to: number | null;
}

export interface LiveSnapshot {
  status: LiveStatus;
  /** The browser's stream this tab's channel is on, while it is open. */
  clientId: string | null;
  /** What the server says this tab watches. */
  watching: WatchTarget[];
  /** Spans when Redis was unreachable, as the server reported them. */
  gaps: GapEvent[];
  interruptions: Interruption[];
  /** Why the stream closed or a change failed, for components/monitor/live-status to say. */
  lastError: LiveReason | null;
}

export type MessagesListener = (messages: LiveMessage[], dropped: number) => void;

/** The console's own feeds on the stream: chart histories, the Cache page's jobs, hit rates and slow log. */
export type FeedEvent =
  | { type: "metrics"; data: MetricsEvent }
  | { type: "jobs"; data: JobsEvent }
  | { type: "job"; data: JobEvent }
  | { type: "hitRates"; data: HitRatesEvent }
  | { type: "slowlog"; data: SlowLogEvent };
const FEED_EVENTS = new Set<string>(["metrics", "jobs", "job", "hitRates", "slowlog"]);
export type FeedListener = (event: FeedEvent) => void;

export interface Subscriber {
  targets(): Iterable<WatchTarget>;
  onMessages: MessagesListener;
  onFeed: FeedListener;
}

export const INITIAL_SNAPSHOT: LiveSnapshot = {
  status: "connecting",
  clientId: null,
  watching: [],
  gaps: [],
  interruptions: [],
  lastError: null,
};
const KEEP_SPANS = 20;
const CLOSED: LiveReason = { code: "closed" };
/** Lets React's development double-mount (and quick navigations) reuse the open channel. */
const CLOSE_DELAY_MS = 1_000;

function parse<T>(data: string): T | null {
  try {
    return JSON.parse(data) as T;
  } catch {
    return null;
  }
}

function keepLast<T>(items: T[]): T[] {
  return items.length > KEEP_SPANS ? items.slice(-KEEP_SPANS) : items;
}

export class LiveConnection {
  /** This tab's channel on the browser's stream, for this connection. */
  private readonly channel = randomId();
  private snapshot: LiveSnapshot = INITIAL_SNAPSHOT;
  private readonly views = new Set<() => void>();
  private readonly subscribers = new Set<Subscriber>();
  private closeTimer: ReturnType<typeof setTimeout> | null = null;
  private stopStatus: (() => void) | null = null;
  private posting: Promise<void> = Promise.resolve();

  constructor(private readonly connectionId: string) {}

  getSnapshot = (): LiveSnapshot => this.snapshot;

  subscribe = (view: () => void): (() => void) => {
    this.views.add(view);
    return () => this.views.delete(view);
  };

  attach(subscriber: Subscriber): void {
    if (this.closeTimer) clearTimeout(this.closeTimer);
    this.closeTimer = null;
    this.change(() => this.subscribers.add(subscriber));
    if (!this.stopStatus) this.open();
  }

  detach(subscriber: Subscriber): void {
    this.change(() => this.subscribers.delete(subscriber));
    if (this.subscribers.size === 0 && !this.closeTimer) {
      this.closeTimer = setTimeout(() => this.close(), CLOSE_DELAY_MS);
    }
  }

  /** Runs a change to what subscribers want and tells the server the difference. */
  change(mutate: () => void): void {
    const before = this.desired();
    mutate();
    const after = this.desired();
    const add = [...after].filter(([id]) => !before.has(id)).map(([, target]) => target);
    const remove = [...before].filter(([id]) => !after.has(id)).map(([, target]) => target);
    this.post(add, remove);
  }

  /** Opens the stream again after the server ended it or refused it. */
  reconnect(): void {
    liveTransport().reconnect();
  }

  private desired(): Map<string, WatchTarget> {
    const union = new Map<string, WatchTarget>();
    for (const subscriber of this.subscribers) {
      for (const target of subscriber.targets()) union.set(targetId(target), target);
    }
    return union;
  }

  private set(patch: Partial<LiveSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const view of this.views) view();
  }

  private open(): void {
    const transport = liveTransport();
    transport.register(this.channel, (event, data) => this.onEvent(event, data));
    this.stopStatus = transport.onStatus((status) => this.onStatus(status));
    this.onStatus(transport.current);
  }

  private onEvent(type: string, data: string): void {
    if (type === "batch") {
      const batch = parse<BatchEvent>(data);
      if (!batch) return;
      const messages = withSeq(batch);
      for (const subscriber of this.subscribers) subscriber.onMessages(messages, batch.dropped);
    } else if (FEED_EVENTS.has(type)) {
      const parsed = parse<never>(data);
      if (parsed === null) return;
      const feed = { type, data: parsed } as FeedEvent;
      for (const subscriber of this.subscribers) subscriber.onFeed(feed);
    } else if (type === "gap") {
      const gap = parse<GapEvent>(data);
      if (!gap) return;
      const others = this.snapshot.gaps.filter((g) => g.from !== gap.from);
      this.set({ gaps: keepLast([...others, gap].sort((a, b) => a.from - b.from)) });
    } else if (type === "watching") {
      const watching = parse<WatchingEvent>(data);
      if (watching) this.set({ watching: watching.watching });
    } else if (type === "end") {
      // This tab's channel alone was ended: join again with a fresh stream.
      const end = parse<EndEvent>(data);
      this.markDown();
      this.set({
        status: "ended",
        lastError: end?.reason ? { code: "server", message: end.reason } : CLOSED,
      });
    }
  }

  private onStatus(status: RelayStatus): void {
    if (status.state === "open" && status.streamId) {
      if (status.streamId === this.snapshot.clientId && this.snapshot.status === "open") return;
      const interruptions = this.snapshot.interruptions.map((span) =>
        span.to === null ? { ...span, to: Date.now() } : span,
      );
      this.set({ status: "open", clientId: status.streamId, watching: [], interruptions, lastError: null });
      // A new stream knows nothing of this tab yet: join it with the whole desired set.
      this.post([...this.desired().values()], []);
      return;
    }
    if (status.state === "ended") {
      this.markDown();
      this.set({ status: "ended", lastError: status.reason ?? CLOSED });
      return;
    }
    if (status.state === "idle" || status.state === "connecting") {
      if (this.snapshot.status !== "open") this.set({ status: "connecting" });
      else this.markDown();
      return;
    }
    this.markDown();
    this.set({ status: "reconnecting", lastError: status.reason });
  }

  /** The stream stopped being open: start an interruption, unless one is already running. */
  private markDown(): void {
    if (this.snapshot.status !== "open") return;
    this.set({
      status: "reconnecting",
      clientId: null,
      watching: [],
      interruptions: keepLast([...this.snapshot.interruptions, { from: Date.now(), to: null }]),
    });
  }

  /** Changes are sent one after another, so an add and a remove cannot overtake each other. */
  private post(add: WatchTarget[], remove: WatchTarget[], leave = false): void {
    const client = this.snapshot.clientId;
    if (!client || (add.length === 0 && remove.length === 0 && !leave)) return; // the next open sends it all
    this.posting = this.posting.then(async () => {
      if (this.snapshot.clientId !== client) return;
      try {
        const change: WatchChange = {
          client,
          tab: this.channel,
          conn: this.connectionId,
          add,
          remove,
          leave,
        };
        const data = await fetchJson(api.liveWatch(), {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(change),
        });
        if (this.snapshot.clientId === client && !leave)
          this.set({ watching: data.watching, lastError: null });
      } catch (error) {
        this.set({
          lastError:
            error instanceof ApiError ? { code: "server", message: error.message } : { code: "watchFailed" },
        });
      }
    });
  }

  private close(): void {
    this.closeTimer = null;
    if (this.subscribers.size > 0) return;
    this.post([], [], true);
    this.stopStatus?.();
    this.stopStatus = null;
    liveTransport().unregister(this.channel);
    this.set(INITIAL_SNAPSHOT);
  }
}

const connections = new Map<string, LiveConnection>();

/** The tab's one channel for a connection, made on first use and kept for the life of the tab. */
export function liveConnection(connectionId: string): LiveConnection {
  let connection = connections.get(connectionId);
  if (!connection) {
    connection = new LiveConnection(connectionId);
    connections.set(connectionId, connection);
  }
  return connection;
}
