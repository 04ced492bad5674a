import { z } from "zod";
import { connectionIdSchema } from "@/lib/validation/connection";
import { HIT_RATE_RANGE_NAMES, METRICS_RANGE_NAMES } from "@/lib/validation/ranges";
import { says } from "@/lib/validation/messages";
import { SLOWLOG_MAX_LIMIT } from "@/lib/validation/slowlog";

const messageTargetSchema = z.object({
  kind: z.enum(["channel", "pattern", "shard", "stream"]),
  name: z.string().min(1, says("nameTarget")).max(1_024),
});

export const watchTargetSchema = z.union([
  messageTargetSchema,
  z.object({ kind: z.literal("metrics"), name: z.enum(METRICS_RANGE_NAMES) }),
  z.object({ kind: z.literal("jobs"), name: z.literal("all") }),
  z.object({ kind: z.literal("hitRates"), name: z.enum(HIT_RATE_RANGE_NAMES) }),
  // How many of the newest entries, as text like every target's name.
  z.object({
    kind: z.literal("slowlog"),
    name: z
      .string()
      .regex(/^[1-9][0-9]{0,2}$/, says("limitWhole"))
      .refine((name) => Number(name) <= SLOWLOG_MAX_LIMIT, says("limitMax", { max: SLOWLOG_MAX_LIMIT })),
  }),
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
