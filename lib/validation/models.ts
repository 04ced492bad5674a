import { z } from "zod";
import { connectionIdSchema } from "@/lib/validation/connection";
import { byteRefSchema, keyRefSchema } from "@/lib/validation/key-ref";
import { says } from "@/lib/validation/messages";

// The models pages' inputs. Keys, field names and values arrive as refs and leave these schemas
// as bytes (lib/validation/key-ref), so each is decoded once.

const digestSchema = z.string().regex(/^[0-9a-f]{40}$/, says("notDigest"));

export const modelListQuerySchema = z.object({
  conn: connectionIdSchema.optional(),
  cursor: z.string().max(100).optional(),
  search: z.string().max(200).optional(),
});

export const fieldPageQuerySchema = z.object({
  conn: connectionIdSchema.optional(),
  cursor: z.string().regex(/^\d+$/, says("cursorNumber")).optional(),
  match: z.string().max(500).optional(),
  count: z.coerce.number().int().min(1).max(1_000).default(100),
});

export const historyQuerySchema = z.object({
  conn: connectionIdSchema.optional(),
  before: z
    .string()
    .regex(/^\d+-\d+$/)
    .optional(),
  count: z.coerce.number().int().min(1).max(200).default(50),
});

export const exportQuerySchema = z.object({
  conn: connectionIdSchema.optional(),
  format: z.enum(["json", "csv"]).default("json"),
});

export const compareQuerySchema = z.object({
  conn: connectionIdSchema.optional(),
  a: keyRefSchema,
  b: keyRefSchema,
});

/** One field of an edit, decoded: lib/models/write takes it as it is (FieldWrite). */
export const fieldChangeSchema = z.object({
  field: byteRefSchema,
  expected: digestSchema.nullable(),
  value: byteRefSchema.nullable(),
});

export const applyChangesSchema = z.object({
  conn: connectionIdSchema,
  key: keyRefSchema,
  op: z.enum(["set", "add", "delete", "bulk"]),
  changes: z.array(fieldChangeSchema).min(1, says("nothingToChange")).max(10_000, says("tooManyChanges")),
});

export const renameFieldSchema = z.object({
  conn: connectionIdSchema,
  key: keyRefSchema,
  from: byteRefSchema,
  to: byteRefSchema.refine((name) => name.length > 0, says("emptyNewName")),
  expected: digestSchema,
});

export const historyEntrySchema = z.object({
  conn: connectionIdSchema,
  key: keyRefSchema,
  entryId: z.string().regex(/^\d+-\d+$/, says("notHistoryEntry")),
});

export const cloneModelSchema = z.object({
  conn: connectionIdSchema,
  source: keyRefSchema,
  /** Omitted: the next free `model:<name>:v<N>`. */
  target: keyRefSchema.optional(),
});

export const openModelSchema = z.object({
  conn: connectionIdSchema,
  name: z.string().min(1, says("typeKeyName")).max(10_000),
});

export const bulkPreviewSchema = z.object({
  conn: connectionIdSchema,
  key: keyRefSchema,
  format: z.enum(["json", "csv"]),
  text: z.string().min(1, says("pasteParameters")).max(20_000_000, says("uploadTooLarge")),
  removeMissing: z.boolean().default(false),
});
