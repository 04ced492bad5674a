import { z } from "zod";
import { connectionQuerySchema } from "@/lib/validation/connection";
import { says } from "@/lib/validation/messages";

// The Cache page's slow log query: which connection, and how many of the newest entries (over
// every node of a cluster).

export const SLOWLOG_DEFAULT_LIMIT = 50;
export const SLOWLOG_MAX_LIMIT = 500;

export const slowLogQuerySchema = connectionQuerySchema.extend({
  limit: z.coerce
    .number()
    .int(says("limitWhole"))
    .min(1, says("limitMin"))
    .max(SLOWLOG_MAX_LIMIT, says("limitMax", { max: SLOWLOG_MAX_LIMIT }))
    .default(SLOWLOG_DEFAULT_LIMIT),
});
