// The Cluster page's windows, plain constants without zod so the page's bundle can take them. The
// sampler keeps each node's points for an hour (lib/metrics/node-series.ts), so no 24-hour window.

export const CLUSTER_RANGE_NAMES = ["1m", "15m", "1h"] as const;
export type ClusterRange = (typeof CLUSTER_RANGE_NAMES)[number];
