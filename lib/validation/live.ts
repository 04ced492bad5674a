import { z } from "zod";
import { METRICS_RANGE_NAMES } from "@/lib/metrics/ranges";

const messageTargetSchema = z.object({
  kind: z.enum(["channel", "pattern", "shard", "stream"]),
  name: z.string().min(1, "name the channel, pattern, shard channel or stream").max(1_024),
});

export const watchTargetSchema = z.union([
  messageTargetSchema,
  z.object({ kind: z.literal("metrics"), name: z.enum(METRICS_RANGE_NAMES) }),
  z.object({ kind: z.literal("jobs"), name: z.literal("all") }),
]);

export const watchSchema = z.object({
  client: z.string().regex(/^[A-Za-z0-9_-]{16}$/, "not a live stream id"),
  add: z.array(watchTargetSchema).max(50).default([]),
  remove: z.array(watchTargetSchema).max(50).default([]),
});
