// The live-data protocol between the console server and a browser tab (DESIGN.md: Live data).
// One SSE stream per tab carries everything the tab watches; the tab changes what it watches with
// POST /api/live/watch, never by opening a second stream. Pure types and helpers, shared by both sides.

import type { JobSnapshot } from "@/lib/cache/job-registry";
import type { NamespaceHitRates } from "@/lib/cache/namespace-hits";
import type { ErrorBody } from "@/lib/errors";
import type { MetricsSnapshot } from "@/lib/metrics/history";
import type { MetricsRange } from "@/lib/metrics/ranges";
import type { SlowLogReport } from "@/lib/slowlog/read";
import type { HitRateRange } from "@/lib/validation/ranges";

/**
 * Something a tab can watch. Names are text; bytes that are not printable use `\xNN` escapes.
 * A "shard" is a sharded channel (SSUBSCRIBE/SPUBLISH, Redis 7): in a cluster it lives on the node
 * that owns its slot; a single Redis takes it too. "metrics" is the connection's chart history of
 * one range (the name), pushed as `event: metrics`; "jobs" the Cache page's flush and count jobs of
 * the connection (name "all"), pushed as `event: jobs` and then `event: job` per change;
 * "hitRates" the Cache page's hit rate by namespace over a range (the name), pushed as
 * `event: hitRates`; "slowlog" the newest slow-log entries (the name is how many, "50"), pushed as
 * `event: slowlog`. Those two are read by one reader per connection, whatever the number of tabs.
 */
export type WatchTarget =
  | { kind: "channel"; name: string }
  | { kind: "pattern"; name: string }
  | { kind: "shard"; name: string }
  | { kind: "stream"; name: string }
  | { kind: "metrics"; name: MetricsRange }
  | { kind: "jobs"; name: "all" }
  | { kind: "hitRates"; name: HitRateRange }
  | { kind: "slowlog"; name: string };

/** Targets that carry Redis messages (in `batch` events), as opposed to the console's own feeds. */
export type MessageTarget = Extract<WatchTarget, { kind: "channel" | "pattern" | "shard" | "stream" }>;

export function isMessageTarget(target: WatchTarget): target is MessageTarget {
  return (
    target.kind === "channel" ||
    target.kind === "pattern" ||
    target.kind === "shard" ||
    target.kind === "stream"
  );
}

export function targetId(target: WatchTarget): string {
  return `${target.kind}:${target.name}`;
}

/** A payload as the page shows it: text (maybe JSON), or hex for bytes that are not text. */
export interface LivePayload {
  encoding: "text" | "hex";
  text: string;
  /** Bytes of the whole payload. */
  size: number;
  truncated: boolean;
}

export interface LiveMessage {
  /** Per-stream sequence number, increasing by one per message sent to this tab. */
  seq: number;
  /** Server time the console received it (ms since epoch). */
  at: number;
  source: "channel" | "pattern" | "shard" | "stream";
  /** The channel (or shard channel) the message arrived on, or the stream key. */
  channel: string;
  /** For pattern subscriptions: the pattern that matched. */
  pattern?: string;
  /** For stream entries: the entry id. */
  entryId?: string;
  payload: LivePayload;
}

/** A message as it travels: the server encodes it once and shares it between tabs, so `seq` is not in it. */
export type WireMessage = Omit<LiveMessage, "seq">;

/**
 * `event: batch` — messages since the last frame, and how many this tab lost to its queue bound.
 * The i-th message's seq is `firstSeq + i`; a jump from the previous frame equals `dropped`.
 */
export interface BatchEvent {
  firstSeq: number;
  messages: WireMessage[];
  /** Messages dropped (oldest first) since the last frame because this tab could not keep up. */
  dropped: number;
}

/** The browser's view of a batch: each message with its seq. */
export function withSeq(batch: BatchEvent): LiveMessage[] {
  return batch.messages.map((message, i) => ({ ...message, seq: batch.firstSeq + i }));
}

/** `event: hello` — first event of every stream. */
export interface HelloEvent {
  client: string;
  connection: string;
  watching: WatchTarget[];
  queueLimit: number;
}

/** `event: gap` — Redis was unreachable: pub/sub does not replay, so this span is lost. */
export interface GapEvent {
  connection: string;
  from: number;
  to: number | null;
}

/** `event: watching` — what the tab watches now, after a change. */
export interface WatchingEvent {
  watching: WatchTarget[];
}

/** `event: metrics` — the chart history of a watched range, whole, each time it changes. */
export interface MetricsEvent {
  range: MetricsRange;
  snapshot: MetricsSnapshot;
}

/** `event: jobs` — every job of the connection, when the tab starts watching them. */
export interface JobsEvent {
  jobs: JobSnapshot[];
}

/** `event: job` — one job changed: at most every 250 ms while it runs, always when it ends. */
export type JobEvent = JobSnapshot;

/**
 * `event: hitRates` — a watched range's hit rates by namespace, when they change; or, when a read
 * failed, what went wrong (`rates` null: the page keeps what it showed and says why).
 */
export interface HitRatesEvent {
  connectionId: string;
  range: HitRateRange;
  rates: NamespaceHitRates | null;
  error: ErrorBody | null;
}

/** `event: slowlog` — the newest `limit` slow-log entries, when they change; or why a read failed. */
export interface SlowLogEvent {
  connectionId: string;
  limit: number;
  report: SlowLogReport | null;
  error: ErrorBody | null;
}

/** `event: end` — the server closed the stream (session expired, signed out, server stopping). */
export interface EndEvent {
  /** In the browser's language. */
  reason: string;
  /** The reason's key of the `errors` messages. */
  key?: string;
}

export const PAYLOAD_CAP = 8_192;
export const BATCH_INTERVAL_MS = 50;
export const HEARTBEAT_MS = 15_000;
export const RETRY_MS = 2_000;
export const QUEUE_LIMIT = 5_000;
/** A tab's queue is also bounded in bytes, so large payloads cannot grow memory past this. */
export const QUEUE_BYTES = 2 * 1024 * 1024;
/** How often the hit-rates feed reads the newest minutes, and retries after an error. */
export const HIT_RATES_READ_MS = 5_000;
/** How often the slow-log feed looks for a new entry, and retries after an error. */
export const SLOWLOG_CHECK_MS = 2_000;
