// GET /api/metrics?conn=<id>&range=1m|15m|1h|24h — the live charts' history and newest reading.
import { defineRoute } from "@/lib/api/route";
import { metricsQuerySchema } from "@/lib/metrics/ranges";
import { readMetrics } from "@/lib/metrics/sampler";
import { resolveConnectionId } from "@/lib/request-context";

export const GET = defineRoute({
  role: "viewer",
  query: metricsQuerySchema,
  run: async ({ query }) => readMetrics(await resolveConnectionId(query.conn), query.range),
});
