import { z } from "zod";
import { CLUSTER_RANGE_NAMES } from "@/lib/validation/cluster-ranges";
import { connectionQuerySchema } from "@/lib/validation/connection";

/** GET /api/cluster: which connection, and the window the per-shard figures cover. */
export const clusterQuerySchema = connectionQuerySchema.extend({
  range: z.enum(CLUSTER_RANGE_NAMES).default("1m"),
});
