// GET /api/cache/hit-rates?conn=&range=15m|1h|24h — hit rate per namespace from the counters applications record (lib/cache/hit-counter.ts).
import { defineRoute } from "@/lib/api/route";
import { readNamespaceHitRates } from "@/lib/cache/namespace-hits";
import { hitRatesQuerySchema } from "@/lib/validation/cache";

export const GET = defineRoute({
  role: "viewer",
  query: hitRatesQuerySchema,
  run: async ({ connectionId, query }) => readNamespaceHitRates(connectionId, query.range),
});
