import { z } from "zod";
import { connectionIdSchema } from "@/lib/validation/connection";
import { keyRefSchema } from "@/lib/validation/key-ref";
import { says } from "@/lib/validation/messages";

// The Monitor page's inputs: channels, publishing, streams and their consumer groups.
// Names people type (channels, groups) stay text here and become bytes with `typedBytes`
// (lib/redis/keys), so the same schema works in a browser form, where there is no Buffer.

export const MAX_CHANNEL_CHARS = 1_024;
export const MAX_PAYLOAD_BYTES = 512 * 1_024;
export const MAX_ENTRY_PAGE = 500;
export const MAX_ACK_IDS = 1_000;

const NAME_MESSAGES = {
  channel: { empty: "typeChannelName", tooLong: "channelNameTooLong" },
  group: { empty: "typeGroupName", tooLong: "groupNameTooLong" },
} as const;

const typedNameSchema = (what: keyof typeof NAME_MESSAGES) =>
  z
    .string()
    .min(1, says(NAME_MESSAGES[what].empty))
    .max(MAX_CHANNEL_CHARS, says(NAME_MESSAGES[what].tooLong, { max: MAX_CHANNEL_CHARS }));

/** A complete entry id, as XADD and XPENDING give them. */
export const entryIdSchema = z.string().regex(/^\d+-\d+$/, says("notEntryId"));

/** Where a new group starts: "$" (only new entries), "0" (the whole stream) or an entry id. */
export const groupStartSchema = z.union([z.enum(["$", "0"]), entryIdSchema]);

/** An XRANGE bound: "-", "+", a millisecond time, an entry id, or "(<id>" (exclusive, for paging). */
export const rangeBoundSchema = z
  .string()
  .regex(/^(-|\+|\(?\d+(-\d+)?)$/, says("notStreamPosition", { exclusive: "(<id>" }));

export const channelListQuerySchema = z.object({
  conn: connectionIdSchema.optional(),
  /** A PUBSUB CHANNELS glob, e.g. `inference:*`. */
  pattern: z.string().max(MAX_CHANNEL_CHARS).optional(),
});

function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export const publishSchema = z
  .object({
    conn: connectionIdSchema,
    channel: typedNameSchema("channel"),
    payload: z.string().refine((text) => byteLength(text) <= MAX_PAYLOAD_BYTES, says("payloadTooLarge")),
    format: z.enum(["text", "json"]).default("text"),
  })
  .refine((input) => input.format !== "json" || parsesAsJson(input.payload), {
    path: ["payload"],
    message: says("payloadNotJson"),
  });

export const streamListQuerySchema = z.object({
  conn: connectionIdSchema.optional(),
  cursor: z
    .string()
    .regex(/^\d+-\d+$/, says("notListCursor"))
    .optional(),
  search: z.string().max(200).optional(),
});

export const streamEntriesQuerySchema = z.object({
  conn: connectionIdSchema.optional(),
  start: rangeBoundSchema.optional(),
  end: rangeBoundSchema.optional(),
  count: z.coerce.number().int().min(1).max(MAX_ENTRY_PAGE).default(100),
  direction: z.enum(["forward", "backward"]).default("forward"),
});

export const streamGroupsQuerySchema = z.object({ conn: connectionIdSchema.optional() });

export const createGroupSchema = z.object({
  conn: connectionIdSchema,
  key: keyRefSchema,
  group: typedNameSchema("group"),
  startId: groupStartSchema.default("$"),
});

export const ackEntriesSchema = z.object({
  conn: connectionIdSchema,
  key: keyRefSchema,
  group: typedNameSchema("group"),
  ids: z
    .array(entryIdSchema)
    .min(1, says("pickEntries"))
    .max(MAX_ACK_IDS, says("tooManyAcks", { max: MAX_ACK_IDS })),
});
