import { z } from "zod";
import { connectionQuerySchema } from "@/lib/validation/connection";
import { METRICS_RANGE_NAMES } from "@/lib/validation/ranges";

/** GET /api/metrics: which connection, and which range of the live charts. */
export const metricsQuerySchema = connectionQuerySchema.extend({
  range: z.enum(METRICS_RANGE_NAMES).default("1m"),
});
