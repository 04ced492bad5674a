import "server-only";
import { closeFeed } from "@/lib/metrics/feed";
import type { MetricsSnapshot } from "@/lib/metrics/history";
import { closeOwnMarks } from "@/lib/metrics/own-marks";
import type { MetricsRange } from "@/lib/metrics/ranges";
import { MetricsSampler } from "@/lib/metrics/sampler";
import { findConnection } from "@/lib/redis/registry";

// The process's metrics samplers, one per Redis connection (DESIGN.md: Live data), kept on
// globalThis like the client registry, so every route bundle of one Next process shares them.

const globalSamplers = globalThis as unknown as {
  __consoleMetricsSamplers?: Map<string, MetricsSampler>;
};

/** The process's sampler for a connection, created on first use (it starts on `acquire`/`touch`). */
export function metricsSampler(connectionId: string): MetricsSampler {
  const id = findConnection(connectionId).id;
  globalSamplers.__consoleMetricsSamplers ??= new Map();
  let sampler = globalSamplers.__consoleMetricsSamplers.get(id);
  if (!sampler) {
    sampler = new MetricsSampler(id);
    globalSamplers.__consoleMetricsSamplers.set(id, sampler);
  }
  return sampler;
}

/** The connection's sampler if this process has one already (for a scrape, which starts none). */
export function existingSampler(connectionId: string): MetricsSampler | undefined {
  return globalSamplers.__consoleMetricsSamplers?.get(connectionId);
}

/**
 * What a polling page gets: the range's history and the newest reading. Each call keeps the
 * connection's sampler running for its idle grace, so polling viewers keep it alive and it stops a
 * minute after the last one stops polling. No command runs against Redis here.
 */
export async function readMetrics(connectionId: string, range: MetricsRange): Promise<MetricsSnapshot> {
  const sampler = metricsSampler(connectionId);
  sampler.touch();
  await sampler.ready();
  return { connectionId: sampler.connectionId, history: sampler.history(range), latest: sampler.latest() };
}

/** For tests and shutdown: stops every sampler (handing their leases over), the feed and the marks. */
export async function closeMetricsSamplers(): Promise<void> {
  const samplers = [...(globalSamplers.__consoleMetricsSamplers?.values() ?? [])];
  globalSamplers.__consoleMetricsSamplers?.clear();
  await Promise.all(samplers.map((sampler) => sampler.stop()));
  closeFeed();
  closeOwnMarks();
}
