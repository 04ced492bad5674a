import "server-only";
import { randomBytes } from "node:crypto";
import { AppError, englishError, type ErrorKey, type ErrorTranslator } from "@/lib/errors";
import type { Locale } from "@/lib/i18n/locales";
import { errorTranslatorFor } from "@/lib/i18n/server";
import { LiveClient, type TabSink } from "@/lib/live/client";
import {
  BATCH_INTERVAL_MS,
  HEARTBEAT_MS,
  QUEUE_LIMIT,
  RETRY_MS,
  type WatchTarget,
} from "@/lib/live/protocol";

// One SSE stream per browser (DESIGN.md: Live data): browsers allow six HTTP/1.1 connections per
// host, so a stream per tab locks out a user with six tabs. The browser's relay (a SharedWorker, or
// a leader tab) holds this one stream; each tab joins it with a channel of its own (LiveClient),
// per Redis connection, and receives only what that channel watches. The stream carries the
// heartbeats, the session checks and the end; the tabs share its response and its backpressure.

/** How often a stream asks whether its session still stands (ended on another instance, say). */
export const SESSION_RECHECK_MS = 5_000;
/** Tab channels one stream carries at most (tabs × connections they watch). */
export const MAX_TABS = 64;
const TAB_ID = /^[A-Za-z0-9_-]{8,32}$/;
const encoder = new TextEncoder();

export interface LiveSession {
  /** The stored session the stream was opened with. */
  id?: string;
  /** Whether that session still stands; asked every SESSION_RECHECK_MS. */
  stillValid?: () => Promise<boolean>;
  /** The browser's language, for the end's reason and job errors (English without it). */
  locale?: Locale;
}

export class BrowserStream implements TabSink {
  readonly id = randomBytes(12).toString("base64url");
  readonly stream: ReadableStream<Uint8Array>;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private readonly tabs = new Map<string, LiveClient>();
  private readonly timers: NodeJS.Timeout[] = [];
  private closed = false;
  /** Tabs flush in turn, starting one further each time, so no tab keeps the others waiting. */
  private turn = 0;
  /** A flush asked for by a tab with a full frame, run once after this turn's I/O. */
  private early: NodeJS.Immediate | undefined;
  readonly translateError: ErrorTranslator;

  constructor(
    readonly username: string,
    expiresAt: number,
    readonly session: LiveSession,
    private readonly onClose: (stream: BrowserStream) => void,
  ) {
    this.translateError = errorTranslatorFor(session.locale ?? "en");
    this.stream = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.controller = controller;
          controller.enqueue(encoder.encode(`retry: ${RETRY_MS}\n\n`));
          this.write(
            `event: hello\ndata: ${JSON.stringify({ client: this.id, queueLimit: QUEUE_LIMIT })}\n\n`,
          );
        },
        // The browser reads again: send what waited without waiting for the next tick.
        pull: () => this.flush(),
        cancel: () => this.close("the browser closed the stream"),
      },
      // Up to ~256 KB may wait in the response; beyond that the browser is slow: messages stay in
      // each tab's bounded queue, and the oldest are dropped.
      new ByteLengthQueuingStrategy({ highWaterMark: 256 * 1024 }),
    );
    this.timers.push(setInterval(() => this.flush(), BATCH_INTERVAL_MS));
    this.timers.push(setInterval(() => this.write(": heartbeat\n\n"), HEARTBEAT_MS));
    const { stillValid } = session;
    if (stillValid) {
      this.timers.push(
        setInterval(() => {
          void stillValid().then(
            (valid) => valid || this.end("sessionEnded"),
            () => undefined, // console state unreachable: the stream goes on, and so does the check
          );
        }, SESSION_RECHECK_MS),
      );
    }
    const untilExpiry = expiresAt - Date.now();
    if (Number.isFinite(untilExpiry)) {
      this.timers.push(setTimeout(() => this.end("sessionEnded"), Math.max(untilExpiry, 0)));
    }
  }

  frameReady(): void {
    this.early ??= setImmediate(() => {
      this.early = undefined;
      if (!this.closed) this.flush();
    });
  }

  room(): number {
    return this.closed ? 0 : (this.controller.desiredSize ?? 0);
  }

  write(text: string): boolean {
    if (this.room() <= 0) return false;
    try {
      this.controller.enqueue(encoder.encode(text));
      return true;
    } catch {
      void this.close("the stream broke");
      return false;
    }
  }

  get tabCount(): number {
    return this.tabs.size;
  }

  tabList(): LiveClient[] {
    return [...this.tabs.values()];
  }

  /** The tab's channel, if it has joined. */
  tab(id: string): LiveClient | undefined {
    return this.tabs.get(id);
  }

  /** A tab joins with an id of its own choosing, for one connection. */
  join(id: string, connectionId: string): LiveClient {
    if (!TAB_ID.test(id)) throw AppError.of("INVALID", "notATabId");
    const existing = this.tabs.get(id);
    if (existing) {
      if (existing.connectionId !== connectionId) {
        throw AppError.of("INVALID", "tabWatchesOther");
      }
      return existing;
    }
    if (this.closed) throw AppError.of("NOT_FOUND", "liveStreamEnded");
    if (this.tabs.size >= MAX_TABS) {
      throw AppError.of("INVALID", "tooManyTabs", { max: MAX_TABS });
    }
    const client = new LiveClient(id, connectionId, this.username, this, (closed) => {
      if (this.tabs.get(closed.id) === closed) this.tabs.delete(closed.id);
    });
    this.tabs.set(id, client);
    return client;
  }

  /** A tab closed or left: its watches go (the last viewer of a channel unsubscribes in Redis). */
  async leave(id: string): Promise<void> {
    await this.tabs.get(id)?.close("the tab closed");
  }

  private flush(): void {
    const tabs = [...this.tabs.values()];
    if (tabs.length === 0) return;
    this.turn = (this.turn + 1) % tabs.length;
    for (let i = 0; i < tabs.length && this.room() > 0; i++) tabs[(this.turn + i) % tabs.length]!.flush();
  }

  /** Ends the stream, and every tab's live data with it, with a reason the pages can show. */
  end(reason: ErrorKey): void {
    for (const tab of this.tabs.values()) tab.flush();
    const text = this.translateError(reason);
    this.write(`event: end\ndata: ${JSON.stringify({ reason: text, key: reason })}\n\n`);
    void this.close(englishError(reason));
  }

  /** Releases everything every tab held; safe to call more than once. */
  async close(reason: string): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    if (this.early) clearImmediate(this.early);
    const tabs = [...this.tabs.values()];
    this.tabs.clear();
    this.onClose(this);
    await Promise.allSettled(tabs.map((tab) => tab.close(reason)));
    try {
      this.controller.close();
    } catch {
      // already closed by the browser
    }
  }
}

const globalStreams = globalThis as unknown as { __consoleBrowserStreams?: Map<string, BrowserStream> };

function streams(): Map<string, BrowserStream> {
  globalStreams.__consoleBrowserStreams ??= new Map();
  return globalStreams.__consoleBrowserStreams;
}

export function openBrowserStream(
  username: string,
  expiresAt: number,
  session: LiveSession = {},
): BrowserStream {
  const stream = new BrowserStream(username, expiresAt, session, (closed) => streams().delete(closed.id));
  streams().set(stream.id, stream);
  return stream;
}

/** The browser's stream, if it belongs to this user. */
export function findBrowserStream(id: string, username: string): BrowserStream {
  const stream = streams().get(id);
  if (!stream || stream.username !== username) {
    throw AppError.of("NOT_FOUND", "liveStreamEnded");
  }
  return stream;
}

/**
 * A stream with one tab on it, for callers that want one tab's view (tests, benchmarks): closing
 * the tab closes the stream.
 */
export function openLiveClient(
  connectionId: string,
  username: string,
  expiresAt: number,
  session?: LiveSession,
): LiveClient {
  const stream = openBrowserStream(username, expiresAt, session);
  const tab = stream.join(randomBytes(9).toString("base64url"), connectionId);
  const close = tab.close.bind(tab);
  tab.close = async (reason) => {
    await close(reason);
    await stream.close(reason);
  };
  return tab;
}

/** Live tabs in this process, over all streams. */
export function liveClientCount(): number {
  let count = 0;
  for (const stream of streams().values()) count += stream.tabCount;
  return count;
}

/** Browser streams open in this process. */
export function liveStreamCount(): number {
  return streams().size;
}

/** What every tab in this process watches, by kind (a target two tabs watch counts twice). */
export function watchedTargetCounts(): Record<WatchTarget["kind"], number> {
  const counts = {
    channel: 0,
    pattern: 0,
    shard: 0,
    stream: 0,
    metrics: 0,
    jobs: 0,
    hitRates: 0,
    slowlog: 0,
  };
  for (const stream of streams().values())
    for (const tab of stream.tabList()) for (const target of tab.targets) counts[target.kind] += 1;
  return counts;
}

/** The streams (and their tabs) this process holds for one session. */
export function liveStreamsOf(sessionId: string): { streams: number; tabs: number } {
  const mine = [...streams().values()].filter((stream) => stream.session.id === sessionId);
  return { streams: mine.length, tabs: mine.reduce((sum, stream) => sum + stream.tabCount, 0) };
}

/** Ending a session ends the live streams opened with it, in this process (others check by themselves). */
export function endLiveClientsOfSession(sessionId: string, reason: ErrorKey): void {
  for (const stream of [...streams().values()]) if (stream.session.id === sessionId) stream.end(reason);
}

/** Signing out everywhere ends that user's live streams too. */
export function endLiveClientsOf(username: string, reason: ErrorKey): void {
  for (const stream of [...streams().values()]) if (stream.username === username) stream.end(reason);
}
