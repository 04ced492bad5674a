import { z } from "zod";
import { connectionIdSchema } from "@/lib/validation/connection";
import { METRICS_RANGE_NAMES } from "@/lib/validation/ranges";
import { says } from "@/lib/validation/messages";

const messageTargetSchema = z.object({
  kind: z.enum(["channel", "pattern", "shard", "stream"]),
  name: z.string().min(1, says("nameTarget")).max(1_024),
});

export const watchTargetSchema = z.union([
  messageTargetSchema,
  z.object({ kind: z.literal("metrics"), name: z.enum(METRICS_RANGE_NAMES) }),
  z.object({ kind: z.literal("jobs"), name: z.literal("all") }),
]);

export const watchSchema = z.object({
  client: z.string().regex(/^[A-Za-z0-9_-]{16}$/, says("notLiveStreamId")),
  /** The tab's channel on the stream, named by the tab; it joins on its first call. */
  tab: z.string().regex(/^[A-Za-z0-9_-]{8,32}$/, says("notTabId")),
  /** The connection the tab watches (its first call); else the switcher's choice. */
  conn: connectionIdSchema.optional(),
  /** The tab closed: its watches go. */
  leave: z.boolean().default(false),
  add: z.array(watchTargetSchema).max(50).default([]),
  remove: z.array(watchTargetSchema).max(50).default([]),
});
