// The chart ranges a request may name. Plain constants without zod, so the chart bundle and the
// domain modules (lib/metrics/ranges, lib/cache/namespace-hits-math) can take them from here
// while the schemas that check them (lib/validation/metrics, lib/validation/cache) import nothing
// from those modules.

/** The live charts' ranges (lib/metrics/ranges describes each). */
export const METRICS_RANGE_NAMES = ["1m", "15m", "1h", "24h"] as const;
export type MetricsRange = (typeof METRICS_RANGE_NAMES)[number];

/** The hit rate by namespace's ranges; its counters are per minute (lib/cache/namespace-hits-math). */
export const HIT_RATE_RANGE_NAMES = ["15m", "1h", "24h"] as const;
export type HitRateRange = (typeof HIT_RATE_RANGE_NAMES)[number];
