import { z } from "zod";
import { connectionQuerySchema } from "@/lib/validation/connection";

// The Cache page's slow log query: which connection, and how many of the newest entries (over
// every node of a cluster).

export const SLOWLOG_DEFAULT_LIMIT = 50;
export const SLOWLOG_MAX_LIMIT = 500;

export const slowLogQuerySchema = connectionQuerySchema.extend({
  limit: z.coerce
    .number()
    .int("the limit is a whole number")
    .min(1, "ask for at least one entry")
    .max(SLOWLOG_MAX_LIMIT, `at most ${SLOWLOG_MAX_LIMIT} entries at a time`)
    .default(SLOWLOG_DEFAULT_LIMIT),
});
