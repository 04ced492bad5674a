import { METRICS_RANGE_NAMES, type MetricsRange } from "@/lib/validation/ranges";

// The chart ranges, shared by the route's validation and the page (pure, without zod: safe and
// small in a client bundle; the route's schema is lib/validation/metrics).
// `stepMs` is the time one chart point covers; `pollMs` how often the page should poll that range
// — a poll also keeps the sampler running (see lib/metrics/sampler.ts), so it must stay well under
// the sampler's 60-second idle grace.

export interface MetricsRangeSpec {
  label: string;
  spanMs: number;
  stepMs: number;
  pollMs: number;
}

export const METRICS_RANGES = {
  "1m": { label: "1 minute", spanMs: 60_000, stepMs: 1_000, pollMs: 1_000 },
  "15m": { label: "15 minutes", spanMs: 15 * 60_000, stepMs: 5_000, pollMs: 5_000 },
  "1h": { label: "1 hour", spanMs: 60 * 60_000, stepMs: 10_000, pollMs: 10_000 },
  "24h": { label: "24 hours", spanMs: 24 * 60 * 60_000, stepMs: 60_000, pollMs: 30_000 },
} as const satisfies Record<MetricsRange, MetricsRangeSpec>;

export { METRICS_RANGE_NAMES, type MetricsRange };
