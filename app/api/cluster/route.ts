// GET /api/cluster?conn=<id>&range=1m|15m|1h — the Cluster page: shards, slots, per-shard figures, skew and hot keys.
import { defineRoute } from "@/lib/api/route";
import { getClusterView } from "@/lib/cluster";
import { clusterQuerySchema } from "@/lib/validation/cluster";

export const GET = defineRoute({
  role: "viewer",
  query: clusterQuerySchema,
  run: async ({ connectionId, query }) => getClusterView(connectionId, query.range),
});
