import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { runningJobCounts } from "@/lib/cache/jobs";
import { checkHealth } from "@/lib/health";
import { liveClientCount, liveStreamCount, watchedTargetCounts } from "@/lib/live/browser-stream";
import { droppedMessageTotals } from "@/lib/live/drops";
import { pubSubSubscriptionCounts } from "@/lib/live/pubsub";
import { collectNamespaceLookups } from "@/lib/metrics/prometheus/namespace-lookups";
import { consoleMetrics, type ConsoleMetrics } from "@/lib/metrics/prometheus/registry";
import { existingSampler } from "@/lib/metrics/samplers";
import { withClient } from "@/lib/redis/gate";
import { parseInfo } from "@/lib/redis/info";
import { connectionConfigs, dataNodes } from "@/lib/redis/registry";

// GET /metrics: the Prometheus text format, off unless CONSOLE_METRICS_TOKEN is set, then only for
// `Authorization: Bearer <token>` (compared in constant time). The token is checked before anything
// else runs, Redis included. Per connection: up, the sampler's hit rate, INFO's keyspace counters,
// the per-namespace lookups, this instance's pub/sub subscriptions and dropped live messages; for
// this instance: SSE streams, tabs and what they watch, jobs, sign-ins, route durations and the
// usual process metrics.

function sameToken(given: string, expected: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** null when the request may scrape; otherwise the answer to give it. */
function refusal(request: Request): Response | null {
  const token = process.env.CONSOLE_METRICS_TOKEN;
  if (!token) return new Response("Not found\n", { status: 404 });
  const header = request.headers.get("authorization") ?? "";
  const given = header.startsWith("Bearer ") ? header.slice("Bearer ".length) : "";
  if (given && sameToken(given, token)) return null;
  return new Response("Unauthorized\n", {
    status: 401,
    headers: { "WWW-Authenticate": 'Bearer realm="metrics"' },
  });
}

async function collectConnection(metrics: ConsoleMetrics, connectionId: string, up: boolean): Promise<void> {
  metrics.up.set({ connection: connectionId }, up ? 1 : 0);
  const rate = existingSampler(connectionId)?.history("1m").hitRate;
  if (rate && rate.ratio !== null) metrics.hitRate.set({ connection: connectionId }, rate.ratio);
  else metrics.hitRate.remove({ connection: connectionId });
  if (!up) return;
  await Promise.all([
    withClient(connectionId, async (client) => {
      const stats = await Promise.all(
        dataNodes(client).map(async (node) => parseInfo(await node.info("stats")).stats),
      );
      const sum = (field: string) =>
        stats.reduce((total, section) => total + Number(section?.[field] ?? 0), 0);
      metrics.keyspaceHits.set({ connection: connectionId }, sum("keyspace_hits"));
      metrics.keyspaceMisses.set({ connection: connectionId }, sum("keyspace_misses"));
    }),
    collectNamespaceLookups(metrics, connectionId),
  ]).catch(() => undefined);
}

async function collectLive(metrics: ConsoleMetrics): Promise<void> {
  metrics.sseStreams.set(liveStreamCount());
  metrics.liveTabs.set(liveClientCount());
  for (const [kind, count] of Object.entries(watchedTargetCounts()))
    metrics.watchedTargets.set({ kind }, count);
  metrics.pubsubSubscriptions.reset();
  for (const [connection, count] of pubSubSubscriptionCounts())
    metrics.pubsubSubscriptions.set({ connection }, count);
  // The live path keeps plain totals; the counter takes what they grew by since the last scrape.
  const counted = new Map(
    (await metrics.liveDropped.get()).values.map((value) => [String(value.labels.connection), value.value]),
  );
  for (const [connection, total] of droppedMessageTotals()) {
    const grown = total - (counted.get(connection) ?? 0);
    if (grown > 0) metrics.liveDropped.inc({ connection }, grown);
  }
}

async function collect(metrics: ConsoleMetrics): Promise<void> {
  const health = await checkHealth();
  await Promise.all(health.connections.map(({ id, ok }) => collectConnection(metrics, id, ok)));
  await collectLive(metrics);
  const jobs = runningJobCounts();
  for (const kind of ["flush", "count"] as const) metrics.jobsRunning.set({ kind }, jobs[kind]);
}

export async function scrapeMetrics(request: Request): Promise<Response> {
  const refused = refusal(request);
  if (refused) return refused;
  const metrics = consoleMetrics();
  // Configured connections only: a connection id is a bounded label.
  connectionConfigs();
  await collect(metrics);
  return new Response(await metrics.registry.metrics(), {
    headers: { "Content-Type": metrics.registry.contentType, "Cache-Control": "no-store" },
  });
}
