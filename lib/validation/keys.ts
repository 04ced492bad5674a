import { z } from "zod";
import { connectionIdSchema } from "@/lib/validation/connection";
import { KEY_LIST_PAGE } from "@/lib/validation/key-list-page";
import { keyRefSchema } from "@/lib/validation/key-ref";
import { says } from "@/lib/validation/messages";

// The keys browser's inputs: the list and tree queries, one page of a key, and the operator's
// changes (delete, TTL). Patterns and prefixes stay typed text here (escapes as the console shows
// them, `\xff`, `\n`); lib/keys turns them into bytes, so the same schema works in a browser form.

/** The types the console can show; SCAN … TYPE filters by these. */
export const KEY_TYPES = ["string", "hash", "list", "set", "zset", "stream"] as const;
export type KeyType = (typeof KEY_TYPES)[number];

export const MAX_LIST_LIMIT = 500;
export const MAX_READ_COUNT = 500;
/** The longest TTL the console sets: ten years, in seconds. */
export const MAX_TTL_SECONDS = 10 * 365 * 86_400;

const scanCursorSchema = z.string().regex(/^\d+-\d+$/, says("notScanCursor"));
const typedTextSchema = z.string().max(1_024);

export const keyListQuerySchema = z.object({
  conn: connectionIdSchema.optional(),
  /** A SCAN glob (`*`, `?`, `[…]`, `\*` for a literal star); without glob characters, one exact key. */
  pattern: typedTextSchema.optional(),
  /** A literal prefix: glob characters in it match themselves. */
  prefix: typedTextSchema.optional(),
  type: z.enum(KEY_TYPES).optional(),
  cursor: scanCursorSchema.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_LIST_LIMIT).default(KEY_LIST_PAGE),
  includeConsoleState: z.stringbool().default(false),
});

/** A streamed read (GET /api/keys/stream) stops after this long at most; the reader continues from its cursor. */
export const MAX_STREAM_MS = 60_000;
export const DEFAULT_STREAM_MS = 20_000;
/** Rows one streamed read may carry at most: the whole of a large keyspace, in one answer. */
export const MAX_STREAM_ROWS = 1_000_000;

export const keyStreamQuerySchema = z.object({
  conn: connectionIdSchema.optional(),
  pattern: typedTextSchema.optional(),
  prefix: typedTextSchema.optional(),
  type: z.enum(KEY_TYPES).optional(),
  cursor: scanCursorSchema.optional(),
  includeConsoleState: z.stringbool().default(false),
  /** Stop once this many rows were found. */
  limit: z.coerce.number().int().min(1).max(MAX_STREAM_ROWS).default(MAX_STREAM_ROWS),
  /** Stop after this many milliseconds. */
  budgetMs: z.coerce.number().int().min(100).max(MAX_STREAM_MS).default(DEFAULT_STREAM_MS),
  /** Stop once this many keys were examined (default: no limit but time and rows). */
  budgetKeys: z.coerce.number().int().min(1_000).optional(),
});

export const keyTreeQuerySchema = z.object({
  conn: connectionIdSchema.optional(),
  prefix: typedTextSchema.default(""),
  delimiter: z.string().min(1, says("emptyDelimiter")).max(16).optional(),
  cursor: scanCursorSchema.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_LIST_LIMIT).default(100),
  includeConsoleState: z.stringbool().default(false),
});

export const keyReadQuerySchema = z.object({
  conn: connectionIdSchema.optional(),
  /** HSCAN/SSCAN cursor, or the stream position to read from (`(<id>` as the last page gave it). */
  cursor: z.string().max(100).optional(),
  /** Byte offset of a string page, or index of a list / sorted-set page. */
  offset: z.coerce.number().int().min(0).optional(),
  count: z.coerce.number().int().min(1).max(MAX_READ_COUNT).default(100),
});

export const deleteKeySchema = z.object({
  conn: connectionIdSchema,
  key: keyRefSchema,
});

export const setKeyTtlSchema = z.object({
  conn: connectionIdSchema,
  key: keyRefSchema,
  /** Seconds to live, or null to remove the TTL (the key then lives until deleted). */
  seconds: z
    .number()
    .int(says("wholeSeconds"))
    .min(1, says("ttlMin"))
    .max(MAX_TTL_SECONDS, says("ttlMax"))
    .nullable(),
});
