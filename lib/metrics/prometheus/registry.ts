import "server-only";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

// The console's Prometheus metrics (GET /metrics, lib/metrics/prometheus/scrape.ts): one prom-client
// registry per process, on globalThis like the Redis clients so every route bundle counts into the
// same one. Label values are bounded: connection ids come from configuration, namespaces are
// capped (namespace-lookups.ts), routes are cut to their first two path segments.

export interface ConsoleMetrics {
  registry: Registry;
  up: Gauge<"connection">;
  hitRate: Gauge<"connection">;
  keyspaceHits: Gauge<"connection">;
  keyspaceMisses: Gauge<"connection">;
  namespaceLookups: Counter<"connection" | "namespace" | "result">;
  sseStreams: Gauge;
  liveTabs: Gauge;
  watchedTargets: Gauge<"kind">;
  pubsubSubscriptions: Gauge<"connection">;
  liveDropped: Counter<"connection">;
  jobsRunning: Gauge<"kind">;
  flushedKeys: Counter;
  signIns: Counter<"outcome">;
  requestSeconds: Histogram<"route" | "method" | "status">;
  /**
   * requestSeconds' series by route, method and status, each looked up once: prom-client hashes
   * the labels on every `observe` that names them. Few: routes are cut to two segments.
   */
  requestSeries: Map<string, { observe: (seconds: number) => void }>;
}

const globalMetrics = globalThis as unknown as { __consolePrometheus?: ConsoleMetrics };

export function consoleMetrics(): ConsoleMetrics {
  if (globalMetrics.__consolePrometheus) return globalMetrics.__consolePrometheus;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const metrics: ConsoleMetrics = {
    registry,
    up: new Gauge({
      name: "redis_console_up",
      help: "1 when the connection answers PING, 0 otherwise.",
      labelNames: ["connection"],
      registers,
    }),
    hitRate: new Gauge({
      name: "redis_console_hit_rate",
      help: "Keyspace hit rate over the last minute, without the console's own lookups (while sampled).",
      labelNames: ["connection"],
      registers,
    }),
    // Gauges, since they mirror Redis' own counters (which reset with Redis); use rate() all the same.
    keyspaceHits: new Gauge({
      name: "redis_console_keyspace_hits",
      help: "INFO keyspace_hits, summed over the data nodes.",
      labelNames: ["connection"],
      registers,
    }),
    keyspaceMisses: new Gauge({
      name: "redis_console_keyspace_misses",
      help: "INFO keyspace_misses, summed over the data nodes.",
      labelNames: ["connection"],
      registers,
    }),
    namespaceLookups: new Counter({
      name: "redis_console_namespace_lookups_total",
      help: "Cache lookups applications recorded per namespace (README: Per-namespace hit rate).",
      labelNames: ["connection", "namespace", "result"],
      registers,
    }),
    sseStreams: new Gauge({
      name: "redis_console_sse_streams",
      help: "SSE streams open on this instance (one per browser, shared by its tabs).",
      registers,
    }),
    liveTabs: new Gauge({
      name: "redis_console_live_tabs",
      help: "Tab channels on this instance's SSE streams (a tab per Redis connection it watches).",
      registers,
    }),
    watchedTargets: new Gauge({
      name: "redis_console_live_watched_targets",
      help: "What the tabs on this instance watch, by kind (a target two tabs watch counts twice).",
      labelNames: ["kind"],
      registers,
    }),
    pubsubSubscriptions: new Gauge({
      name: "redis_console_pubsub_subscriptions",
      help: "Channels, patterns and shard channels this instance is subscribed to in Redis (shared by its tabs).",
      labelNames: ["connection"],
      registers,
    }),
    liveDropped: new Counter({
      name: "redis_console_live_dropped_messages_total",
      help: "Live messages dropped from slow tabs' bounded queues (each tab is told how many it lost).",
      labelNames: ["connection"],
      registers,
    }),
    jobsRunning: new Gauge({
      name: "redis_console_jobs_running",
      help: "Flush and count jobs running on this instance.",
      labelNames: ["kind"],
      registers,
    }),
    flushedKeys: new Counter({
      name: "redis_console_flush_deleted_keys_total",
      help: "Keys deleted by namespace flushes this instance ran.",
      registers,
    }),
    signIns: new Counter({
      name: "redis_console_sign_ins_total",
      help: "Sign-in attempts by outcome: ok, failed (wrong credentials) or refused (rate limited).",
      labelNames: ["outcome"],
      registers,
    }),
    requestSeconds: new Histogram({
      name: "redis_console_http_request_duration_seconds",
      help: "Route handler durations, by route (first two path segments), method and status.",
      labelNames: ["route", "method", "status"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    requestSeries: new Map(),
  };
  globalMetrics.__consolePrometheus = metrics;
  return metrics;
}

/** For route handlers (lib/api/route.ts): `/api/keys/<ref>` is counted as `/api/keys`. */
export function observeRequest(pathname: string, method: string, status: number, seconds: number): void {
  const route = pathname.split("/").slice(0, 3).join("/") || "/";
  const metrics = consoleMetrics();
  const series = `${route} ${method} ${status}`;
  let child = metrics.requestSeries.get(series);
  if (!child) {
    child = metrics.requestSeconds.labels({ route, method, status: String(status) });
    metrics.requestSeries.set(series, child);
  }
  child.observe(seconds);
}

export function countSignIn(outcome: "ok" | "failed" | "refused"): void {
  consoleMetrics().signIns.inc({ outcome });
}

export function countFlushedKeys(count: number): void {
  if (count > 0) consoleMetrics().flushedKeys.inc(count);
}
