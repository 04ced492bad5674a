"use client";

// The browser end of DESIGN.md "Live data": ONE EventSource per tab and connection, shared by every
// component that watches something. Each hook instance keeps the targets it wants; the shared
// connection asks the server for their union and asks again after every `hello`, so a reconnect
// (which brings a new client id) restores what the page watched.

import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { ApiError, fetchJson } from "@/components/query/fetch-json";
import {
  RETRY_MS,
  targetId,
  type BatchEvent,
  withSeq,
  type EndEvent,
  type GapEvent,
  type HelloEvent,
  type JobEvent,
  type JobsEvent,
  type LiveMessage,
  type MetricsEvent,
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
  clientId: string | null;
  /** What the server says this tab watches. */
  watching: WatchTarget[];
  /** Spans when Redis was unreachable, as the server reported them. */
  gaps: GapEvent[];
  interruptions: Interruption[];
  lastError: string | null;
}

type MessagesListener = (messages: LiveMessage[], dropped: number) => void;

/** The console's own feeds on the stream: chart histories and the Cache page's jobs. */
export type FeedEvent =
  | { type: "metrics"; data: MetricsEvent }
  | { type: "jobs"; data: JobsEvent }
  | { type: "job"; data: JobEvent };
type FeedListener = (event: FeedEvent) => void;

interface Subscriber {
  targets(): Iterable<WatchTarget>;
  onMessages: MessagesListener;
  onFeed: FeedListener;
}

const INITIAL: LiveSnapshot = {
  status: "connecting",
  clientId: null,
  watching: [],
  gaps: [],
  interruptions: [],
  lastError: null,
};
const KEEP_SPANS = 20;
/** Lets React's development double-mount (and quick navigations) reuse the open stream. */
const CLOSE_DELAY_MS = 1_000;
const MAX_RETRY_MS = 30_000;

function parse<T>(event: Event): T | null {
  try {
    return JSON.parse((event as MessageEvent<string>).data) as T;
  } catch {
    return null;
  }
}

function keepLast<T>(items: T[]): T[] {
  return items.length > KEEP_SPANS ? items.slice(-KEEP_SPANS) : items;
}

class LiveConnection {
  private source: EventSource | null = null;
  private snapshot: LiveSnapshot = INITIAL;
  private readonly views = new Set<() => void>();
  private readonly subscribers = new Set<Subscriber>();
  private closeTimer: ReturnType<typeof setTimeout> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
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
    if (!this.source && !this.retryTimer && this.snapshot.status !== "ended") this.open();
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
    this.failures = 0;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.source?.close();
    this.source = null;
    this.open();
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
    const source = new EventSource(`/api/live?conn=${encodeURIComponent(this.connectionId)}`);
    this.source = source;
    this.set({
      status: this.snapshot.interruptions.some((s) => s.to === null) ? "reconnecting" : "connecting",
    });
    source.addEventListener("hello", (event) => this.onHello(parse<HelloEvent>(event)));
    source.addEventListener("batch", (event) => {
      const batch = parse<BatchEvent>(event);
      if (!batch) return;
      const messages = withSeq(batch);
      for (const subscriber of this.subscribers) subscriber.onMessages(messages, batch.dropped);
    });
    for (const type of ["metrics", "jobs", "job"] as const) {
      source.addEventListener(type, (event) => {
        const data = parse<never>(event);
        if (data === null) return;
        const feed = { type, data } as FeedEvent;
        for (const subscriber of this.subscribers) subscriber.onFeed(feed);
      });
    }
    source.addEventListener("gap", (event) => {
      const gap = parse<GapEvent>(event);
      if (!gap) return;
      const others = this.snapshot.gaps.filter((g) => g.from !== gap.from);
      this.set({ gaps: keepLast([...others, gap].sort((a, b) => a.from - b.from)) });
    });
    source.addEventListener("watching", (event) => {
      const watching = parse<WatchingEvent>(event);
      if (watching) this.set({ watching: watching.watching });
    });
    source.addEventListener("end", (event) => {
      const end = parse<EndEvent>(event);
      source.close();
      this.source = null;
      this.markDown();
      this.set({ status: "ended", lastError: end?.reason ?? "The server closed the live stream." });
    });
    source.addEventListener("error", () => {
      if (this.source !== source) return;
      this.markDown();
      if (source.readyState !== EventSource.CLOSED) return; // the browser retries by itself
      // Refused outright (signed out, server error): the browser gives up, so retry with backoff.
      this.source = null;
      this.failures += 1;
      const delay = Math.min(RETRY_MS * 2 ** (this.failures - 1), MAX_RETRY_MS);
      this.set({
        status: "reconnecting",
        lastError: `The live stream is unavailable; trying again in ${Math.round(delay / 1000)} s.`,
      });
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        if (this.subscribers.size > 0) this.open();
      }, delay);
    });
  }

  private onHello(hello: HelloEvent | null): void {
    if (!hello) return;
    this.failures = 0;
    const interruptions = this.snapshot.interruptions.map((span) =>
      span.to === null ? { ...span, to: Date.now() } : span,
    );
    this.set({
      status: "open",
      clientId: hello.client,
      watching: hello.watching,
      interruptions,
      lastError: null,
    });
    // A new client id watches nothing we asked for yet: send the whole desired set.
    const desired = this.desired();
    const current = new Set(hello.watching.map(targetId));
    this.post(
      [...desired].filter(([id]) => !current.has(id)).map(([, target]) => target),
      hello.watching.filter((target) => !desired.has(targetId(target))),
    );
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
  private post(add: WatchTarget[], remove: WatchTarget[]): void {
    const client = this.snapshot.clientId;
    if (!client || (add.length === 0 && remove.length === 0)) return; // the next hello sends it all
    this.posting = this.posting.then(async () => {
      if (this.snapshot.clientId !== client) return;
      try {
        const data = await fetchJson<{ watching: WatchTarget[] }>("/api/live/watch", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ client, add, remove }),
        });
        if (this.snapshot.clientId === client) this.set({ watching: data.watching, lastError: null });
      } catch (error) {
        const message = error instanceof ApiError ? error.message : "The watch list could not be changed.";
        this.set({ lastError: message });
      }
    });
  }

  private close(): void {
    this.closeTimer = null;
    if (this.subscribers.size > 0) return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.source?.close();
    this.source = null;
    this.failures = 0;
    this.set(INITIAL);
  }
}

const connections = new Map<string, LiveConnection>();

function liveConnection(connectionId: string): LiveConnection {
  let connection = connections.get(connectionId);
  if (!connection) {
    connection = new LiveConnection(connectionId);
    connections.set(connectionId, connection);
  }
  return connection;
}

const serverSnapshot = (): LiveSnapshot => INITIAL;

export interface LiveStream extends LiveSnapshot {
  /** What this component asked to watch, confirmed by the server or not yet. */
  desired: WatchTarget[];
  watch(targets: WatchTarget[]): void;
  unwatch(targets: WatchTarget[]): void;
  /** Opens the stream again after the server ended it. */
  reconnect(): void;
}

/**
 * The tab's live stream for one connection. `onMessages` receives every batch (all watched
 * targets of the tab; filter what you need) and how many messages the server dropped; `onFeed`
 * every metrics and jobs event (again of the whole tab).
 */
export function useLiveStream(
  connectionId: string,
  { onMessages, onFeed }: { onMessages?: MessagesListener; onFeed?: FeedListener } = {},
): LiveStream {
  const connection = liveConnection(connectionId);
  const snapshot = useSyncExternalStore(connection.subscribe, connection.getSnapshot, serverSnapshot);
  const [desired, setDesired] = useState<WatchTarget[]>([]);
  const targets = useRef(new Map<string, WatchTarget>());
  const listener = useRef(onMessages);
  const feedListener = useRef(onFeed);
  useEffect(() => {
    listener.current = onMessages;
    feedListener.current = onFeed;
  }, [onMessages, onFeed]);

  const subscriber = useMemo<Subscriber>(
    () => ({
      targets: () => targets.current.values(),
      onMessages: (messages, dropped) => listener.current?.(messages, dropped),
      onFeed: (event) => feedListener.current?.(event),
    }),
    [],
  );
  useEffect(() => {
    connection.attach(subscriber);
    return () => connection.detach(subscriber);
  }, [connection, subscriber]);

  const watch = useCallback(
    (add: WatchTarget[]) => {
      connection.change(() => add.forEach((target) => targets.current.set(targetId(target), target)));
      setDesired([...targets.current.values()]);
    },
    [connection],
  );
  const unwatch = useCallback(
    (remove: WatchTarget[]) => {
      connection.change(() => remove.forEach((target) => targets.current.delete(targetId(target))));
      setDesired([...targets.current.values()]);
    },
    [connection],
  );
  const reconnect = useCallback(() => connection.reconnect(), [connection]);

  return { ...snapshot, desired, watch, unwatch, reconnect };
}
