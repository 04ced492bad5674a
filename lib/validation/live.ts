import { z } from "zod";

export const watchTargetSchema = z.object({
  kind: z.enum(["channel", "pattern", "shard", "stream"]),
  name: z.string().min(1, "name the channel, pattern, shard channel or stream").max(1_024),
});

export const watchSchema = z.object({
  client: z.string().regex(/^[A-Za-z0-9_-]{16}$/, "not a live stream id"),
  add: z.array(watchTargetSchema).max(50).default([]),
  remove: z.array(watchTargetSchema).max(50).default([]),
});
