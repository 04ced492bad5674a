import "server-only";
import { hitRatesReader } from "@/lib/cache/hit-rates-feed";
import { jobFor, listJobs, watchJobs } from "@/lib/cache/jobs";
import type { ErrorTranslator } from "@/lib/errors";
import type { SendEvent } from "@/lib/live/feed-viewers";
import type { JobsEvent, MessageTarget, MetricsEvent, WatchTarget } from "@/lib/live/protocol";
import { METRICS_RANGES, type MetricsRange } from "@/lib/metrics/ranges";
import type { MetricsSampler } from "@/lib/metrics/sampler";
import { metricsSampler } from "@/lib/metrics/samplers";
import { slowLogReader } from "@/lib/slowlog/feed";

// The console's own feeds on a tab's live stream (DESIGN.md: Live data), beside Redis messages:
// a range of the metrics charts, and the Cache page's jobs, hit rates by namespace and slow log.
// Each is a small "watch" like a stream tail: it starts with what the tab needs to draw, then
// pushes changes until stopped. The figures are read once per connection in the process, however
// many tabs watch (the metrics sampler, the hit-rates and slow-log readers), and encoded once.

export type { SendEvent } from "@/lib/live/feed-viewers";

export interface FeedWatch {
  ready: Promise<void>;
  stop: () => void;
}

/** One encoding per connection, range and newest point, shared by every tab watching it. */
const encoded = new Map<string, { stamp: string; json: string }>();

function metricsJson(sampler: MetricsSampler, range: MetricsRange, now: number): string {
  const key = `${sampler.connectionId}\u0000${range}`;
  // The window slides with the clock, so the stamp includes the push slot as well as the newest point.
  const stamp = `${sampler.lastAt}:${Math.floor(now / METRICS_RANGES[range].pollMs)}`;
  const cached = encoded.get(key);
  if (cached?.stamp === stamp) return cached.json;
  const event: MetricsEvent = {
    range,
    snapshot: {
      connectionId: sampler.connectionId,
      history: sampler.history(range, now),
      latest: sampler.latest(now),
    },
  };
  const json = JSON.stringify(event);
  encoded.set(key, { stamp, json });
  return json;
}

/**
 * A range of the connection's charts: the whole history at once, then again after each new point
 * — at most once per the range's poll period (every second for the 1-minute range, every 30 s for
 * 24 hours). Watching keeps the connection's sampler running, like an open page that polls.
 */
export function watchMetrics(connectionId: string, range: MetricsRange, send: SendEvent): FeedWatch {
  const sampler = metricsSampler(connectionId);
  const release = sampler.acquire();
  const { pollMs } = METRICS_RANGES[range];
  let lastSlot = -1;
  let stopped = false;
  const push = (force: boolean) => {
    if (stopped) return;
    const now = Date.now();
    const slot = Math.floor(now / pollMs);
    if (!force && slot === lastSlot) return;
    // A tab that is not reading misses this one; the next push carries the whole history again.
    if (send("metrics", metricsJson(sampler, range, now))) lastSlot = slot;
  };
  const unsubscribe = sampler.onUpdate(() => push(false));
  // Without new points (Redis unreachable, or another instance's points not arriving) the window
  // still moves on, and the charts show the hole growing.
  const timer = setInterval(() => push(false), pollMs);
  timer.unref?.();
  const ready = sampler.ready().then(() => push(true));
  return {
    ready,
    stop: () => {
      stopped = true;
      clearInterval(timer);
      unsubscribe();
      release();
    },
  };
}

/** The connection's jobs: all of them at once, then each change as `event: job`. */
export function watchConnectionJobs(
  connectionId: string,
  send: SendEvent,
  translate: ErrorTranslator,
): FeedWatch {
  const stop = watchJobs((snapshot) => {
    if (snapshot.connectionId === connectionId) send("job", JSON.stringify(jobFor(snapshot, translate)));
  });
  const ready = listJobs(connectionId).then(
    (jobs) => {
      const event: JobsEvent = { jobs: jobs.map((job) => jobFor(job, translate)) };
      send("jobs", JSON.stringify(event));
    },
    () => undefined,
  );
  return { ready, stop };
}

/** A feed target (anything but Redis messages) for one tab. */
export function watchFeed(
  connectionId: string,
  target: Exclude<WatchTarget, MessageTarget>,
  send: SendEvent,
  translate: ErrorTranslator,
): FeedWatch {
  switch (target.kind) {
    case "metrics":
      return watchMetrics(connectionId, target.name, send);
    case "jobs":
      return watchConnectionJobs(connectionId, send, translate);
    case "hitRates":
      return hitRatesReader(connectionId).watch(target.name, { send, translate });
    case "slowlog":
      return slowLogReader(connectionId).watch(Number(target.name), { send, translate });
  }
}
