// The console's JSON API as the browser sees it: for each route handler under app/api, the URL it
// answers with its parameters and the type it answers with; and every react-query key, so a
// mutation can invalidate by prefix (everything of a connection, of a model, of a stream). A
// component fetches `fetchJson(api.<endpoint>(…))` and never writes an "/api/…" string itself.

import type { AuditLogAnswer } from "@/lib/audit";
import type { SessionPage } from "@/lib/auth/session-store";
import type { DatabaseInfo } from "@/lib/cache/database";
import type { JobSnapshot } from "@/lib/cache/job-registry";
import type { ClusterRange, ClusterView } from "@/lib/cluster";
import type { HitRateRange } from "@/lib/cache/namespace-hits-math";
import type { NamespaceHitRates } from "@/lib/cache/namespace-hits";
import type { NamespacePage } from "@/lib/cache/namespaces";
import type { KeyListPage, KeyTreePage } from "@/lib/keys/list";
import type { KeyPage } from "@/lib/keys/read";
import type { WatchTarget } from "@/lib/live/protocol";
import type { MetricsSnapshot } from "@/lib/metrics/history";
import type { MetricsRange } from "@/lib/metrics/ranges";
import type { ModelComparison } from "@/lib/models/compare";
import type { Drift } from "@/lib/models/drift";
import type { HistoryPage } from "@/lib/models/history";
import type { ModelListPage } from "@/lib/models/list";
import type { FieldPage } from "@/lib/models/types";
import type { ChannelList } from "@/lib/monitor/channels";
import type { OverviewSnapshot } from "@/lib/overview";
import type { SlowLogReport } from "@/lib/slowlog/read";
import type { EntryPage } from "@/lib/streams/entries";
import type { GroupList } from "@/lib/streams/groups";
import type { StreamListPage } from "@/lib/streams/list";

declare const answers: unique symbol;

/** A URL that carries the type its route answers with, so `fetchJson(url)` needs no type argument. */
export type ApiUrl<T> = string & { readonly [answers]?: T };

type Params = Record<string, string | number | boolean | undefined>;

/**
 * `path?query`. A parameter that is undefined, empty or false is left out: every route reads a
 * missing parameter as its default (the first page, no filter, console state hidden).
 */
function url<T>(path: string, params: Params = {}): ApiUrl<T> {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === "" || value === false) continue;
    query.set(name, String(value));
  }
  const search = query.toString();
  return (search ? `${path}?${search}` : path) as ApiUrl<T>;
}

/** A key or field ref (base64url of its bytes) is already safe in a path. */
const refPath = (prefix: string, ref: string, suffix = "") => `${prefix}/${ref}${suffix}`;

export type SessionsAnswer = SessionPage & { current: string | null };
export type ModelHistoryAnswer = HistoryPage & { drift: Drift[] | null };

/** POST /api/live/watch: what a tab's channel on the browser's stream adds and removes. */
export interface WatchChange {
  client: string;
  tab: string;
  conn: string;
  add: WatchTarget[];
  remove: WatchTarget[];
  leave: boolean;
}

export const api = {
  overview: (conn: string) => url<OverviewSnapshot>("/api/overview", { conn }),
  metrics: (conn: string, range: MetricsRange) => url<MetricsSnapshot>("/api/metrics", { conn, range }),
  cluster: (conn: string, range: ClusterRange) => url<ClusterView>("/api/cluster", { conn, range }),
  audit: (p: { count: number; before?: string }) => url<AuditLogAnswer>("/api/audit", p),
  sessions: (p: { offset: number; count: number }) => url<SessionsAnswer>("/api/sessions", p),
  slowLog: (p: { conn: string; limit: number }) => url<SlowLogReport>("/api/slowlog", p),

  cacheJobs: (conn: string) => url<{ jobs: JobSnapshot[] }>("/api/cache/jobs", { conn }),
  cacheDatabase: (conn: string) => url<DatabaseInfo>("/api/cache/database", { conn }),
  cacheNamespaces: (p: { conn: string; prefix?: string }) => url<NamespacePage>("/api/cache/namespaces", p),
  hitRates: (conn: string, range: HitRateRange) =>
    url<NamespaceHitRates>("/api/cache/hit-rates", { conn, range }),

  models: (p: { conn: string; cursor?: string; search?: string }) => url<ModelListPage>("/api/models", p),
  modelFields: (ref: string, p: { conn: string; cursor: string; count: number; match?: string }) =>
    url<FieldPage>(refPath("/api/models", ref, "/fields"), p),
  modelHistory: (ref: string, p: { conn: string; count: number; before?: string }) =>
    url<ModelHistoryAnswer>(refPath("/api/models", ref, "/history"), p),
  compare: (p: { conn: string; a: string; b: string }) => url<ModelComparison>("/api/models/compare", p),
  /** A download, followed by a link rather than fetched. */
  modelExport: (ref: string, p: { conn: string; format: "json" | "csv" }) =>
    url<never>(refPath("/api/models", ref, "/export"), p),

  keys: (p: {
    conn: string;
    limit: number;
    pattern?: string;
    type?: string;
    cursor?: string;
    includeConsoleState?: boolean;
  }) => url<KeyListPage>("/api/keys", p),
  /** NDJSON lines (lib/keys/stream.ts KeyStreamLine), read with readNdjson rather than fetchJson. */
  keyStream: (p: {
    conn: string;
    pattern?: string;
    type?: string;
    cursor?: string;
    includeConsoleState?: boolean;
    limit?: number;
    budgetMs?: number;
  }) => url<never>("/api/keys/stream", p),
  keyTree: (p: {
    conn: string;
    prefix: string;
    delimiter: string;
    limit: number;
    cursor?: string;
    includeConsoleState?: boolean;
  }) => url<KeyTreePage>("/api/key-tree", p),
  key: (ref: string, p: { conn: string; count: number; cursor?: string; offset?: number }) =>
    url<KeyPage>(refPath("/api/keys", ref), p),

  channels: (p: { conn: string; pattern?: string }) => url<ChannelList>("/api/monitor/channels", p),
  streams: (p: { conn: string; cursor?: string; search?: string }) => url<StreamListPage>("/api/streams", p),
  streamEntries: (
    ref: string,
    p: { conn: string; start: string; end?: string; count: number; direction: "forward" | "backward" },
  ) => url<EntryPage>(refPath("/api/streams", ref, "/entries"), p),
  streamGroups: (ref: string, conn: string) =>
    url<GroupList>(refPath("/api/streams", ref, "/groups"), { conn }),

  liveWatch: () => url<{ watching: WatchTarget[] }>("/api/live/watch"),
};

/** Everything of one connection lives under this prefix: a switch or a database flush drops it all. */
const connection = (conn: string) => ["connection", conn] as const;

export const queryKeys = {
  connection,
  overview: (conn: string) => [...connection(conn), "overview"] as const,
  metrics: (conn: string, range: MetricsRange) => [...connection(conn), "metrics", range] as const,
  cluster: (conn: string, range: ClusterRange) => [...connection(conn), "cluster", range] as const,
  audit: () => ["audit"] as const,
  /** Every page of the sessions list: what ending a session invalidates. */
  sessionsAll: () => ["sessions"] as const,
  sessions: (offset: number) => ["sessions", offset] as const,

  models: {
    list: (conn: string, search: string) => [...connection(conn), "models", search] as const,
    /** Everything about one model: its fields pages, history and comparisons. */
    model: (conn: string, ref: string) => [...connection(conn), "model", ref] as const,
    fields: (conn: string, ref: string, match: string) =>
      [...connection(conn), "model", ref, "fields", match] as const,
    history: (conn: string, ref: string) => [...connection(conn), "model", ref, "history"] as const,
    compare: (conn: string, a: string, b: string) => [...connection(conn), "compare", a, b] as const,
  },

  cache: {
    /** Everything on the Cache page: what a finished flush invalidates. */
    all: (conn: string) => [...connection(conn), "cache"] as const,
    namespaces: (conn: string, prefix: string) =>
      [...connection(conn), "cache", "namespaces", prefix] as const,
    jobs: (conn: string) => [...connection(conn), "cache", "jobs"] as const,
    database: (conn: string) => [...connection(conn), "cache", "database"] as const,
    dryRun: (conn: string, pattern: string) => [...connection(conn), "cache", "dry-run", pattern] as const,
    hitRates: (conn: string, range: HitRateRange) =>
      [...connection(conn), "cache", "hit-rates", range] as const,
    slowLog: (conn: string, limit: number) => [...connection(conn), "cache", "slowlog", limit] as const,
  },

  keys: {
    /** Every list and tree page: what a delete or a TTL change invalidates. */
    all: (conn: string) => [...connection(conn), "keys"] as const,
    list: (conn: string, pattern: string, type: string, includeConsoleState: boolean) =>
      [...connection(conn), "keys", "list", pattern, type, includeConsoleState] as const,
    tree: (conn: string, prefix: string, delimiter: string, includeConsoleState: boolean) =>
      [...connection(conn), "keys", "tree", prefix, delimiter, includeConsoleState] as const,
    /** One key: its metadata and the pages of its value that were read. */
    key: (conn: string, ref: string) => [...connection(conn), "key", ref] as const,
    /** A stream key's entries read oldest first (its pages above are newest first). */
    streamOldestFirst: (conn: string, ref: string) =>
      [...connection(conn), "key", ref, "oldest-first"] as const,
  },

  monitor: {
    channels: (conn: string, match: string) => [...connection(conn), "monitor", "channels", match] as const,
    /** Every page of the streams list, whatever the search. */
    streamsAll: (conn: string) => [...connection(conn), "streams"] as const,
    streams: (conn: string, search: string) => [...connection(conn), "streams", "list", search] as const,
    /** Everything about one stream: entry pages and groups. */
    stream: (conn: string, ref: string) => [...connection(conn), "stream", ref] as const,
    streamEntries: (conn: string, ref: string, start: string, end: string) =>
      [...connection(conn), "stream", ref, "entries", start, end] as const,
    streamGroups: (conn: string, ref: string) => [...connection(conn), "stream", ref, "groups"] as const,
  },
};
