import { z } from "zod";
import { connectionIdSchema } from "@/lib/validation/connection";
import { keyRefSchema } from "@/lib/validation/key-ref";

// The Monitor page's inputs: channels, publishing, streams and their consumer groups.
// Names people type (channels, groups) stay text here and become bytes with `typedBytes`
// (lib/redis/keys), so the same schema works in a browser form, where there is no Buffer.

export const MAX_CHANNEL_CHARS = 1_024;
export const MAX_PAYLOAD_BYTES = 512 * 1_024;
export const MAX_ENTRY_PAGE = 500;
export const MAX_ACK_IDS = 1_000;

const typedNameSchema = (what: string) =>
  z
    .string()
    .min(1, `type a ${what} name`)
    .max(MAX_CHANNEL_CHARS, `a ${what} name has at most ${MAX_CHANNEL_CHARS} characters`);

/** A complete entry id, as XADD and XPENDING give them. */
export const entryIdSchema = z.string().regex(/^\d+-\d+$/, "not a stream entry id (like 1700000000000-0)");

/** Where a new group starts: "$" (only new entries), "0" (the whole stream) or an entry id. */
export const groupStartSchema = z.union([z.enum(["$", "0"]), entryIdSchema]);

/** An XRANGE bound: "-", "+", a millisecond time, an entry id, or "(<id>" (exclusive, for paging). */
export const rangeBoundSchema = z
  .string()
  .regex(/^(-|\+|\(?\d+(-\d+)?)$/, "not a stream position (-, +, an entry id, or (<id> to exclude it)");

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
    payload: z
      .string()
      .refine((text) => byteLength(text) <= MAX_PAYLOAD_BYTES, "the payload is larger than 512 KB"),
    format: z.enum(["text", "json"]).default("text"),
  })
  .refine((input) => input.format !== "json" || parsesAsJson(input.payload), {
    path: ["payload"],
    message: "the payload is not valid JSON; fix it or send it as text",
  });

export const streamListQuerySchema = z.object({
  conn: connectionIdSchema.optional(),
  cursor: z
    .string()
    .regex(/^\d+-\d+$/, "not a list cursor")
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
    .min(1, "pick at least one entry to acknowledge")
    .max(MAX_ACK_IDS, `at most ${MAX_ACK_IDS} entries at once`),
});
