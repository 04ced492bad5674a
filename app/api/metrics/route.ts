// GET /api/metrics?conn=<id>&range=1m|15m|1h|24h — the live charts' history and newest reading.
import { defineRoute } from "@/lib/api/route";
import { readMetrics } from "@/lib/metrics/samplers";
import { metricsQuerySchema } from "@/lib/validation/metrics";

export const GET = defineRoute({
  role: "viewer",
  query: metricsQuerySchema,
  run: async ({ connectionId, query }) => readMetrics(connectionId, query.range),
});
