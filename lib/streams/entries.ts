import "server-only";
import { AppError } from "@/lib/errors";
import { withClient } from "@/lib/redis/gate";
import { displayBytes } from "@/lib/redis/keys";
import { assertStream, assertUserKey } from "@/lib/streams/guards";
import { describeValue } from "@/lib/values/describe";
import type { ValueView } from "@/lib/values/types";

// A stream's entries, XRANGE / XREVRANGE … COUNT a page at a time (DESIGN.md contract 2). Field
// names are bytes (contract 1); values are described for a table cell, cut to VALUE_DISPLAY_CAP.

export interface StreamEntryView {
  id: string;
  /** Milliseconds since the epoch, from the id. */
  at: number;
  fields: { name: string; value: ValueView }[];
  /** Fields in the entry; more than `fields` holds when the entry was cut to MAX_FIELDS_SHOWN. */
  fieldCount: number;
}

export interface EntryPage {
  entries: StreamEntryView[];
  /** Pass as `start` (forward) or `end` (backward) to read the next page; null at the end. */
  next: string | null;
  length: number;
}

export const MAX_ENTRIES_PER_PAGE = 500;
const MAX_FIELDS_SHOWN = 100;
/** Stream values are shown in a table row; the full value is a click away elsewhere. */
const VALUE_DISPLAY_CAP = 1_024;
const RANGE_BOUND = /^(-|\+|\(?\d+(-\d+)?)$/;

function toEntryView([id, flat]: [Buffer, Buffer[]]): StreamEntryView {
  const fields: StreamEntryView["fields"] = [];
  for (let i = 0; i + 1 < flat.length && fields.length < MAX_FIELDS_SHOWN; i += 2) {
    fields.push({ name: displayBytes(flat[i]!), value: describeValue(flat[i + 1]!, VALUE_DISPLAY_CAP) });
  }
  const idText = id.toString();
  return { id: idText, at: Number(idText.split("-")[0]), fields, fieldCount: Math.floor(flat.length / 2) };
}

/**
 * One page of entries, oldest first (forward) or newest first (backward), between `start` and
 * `end` (inclusive unless written "(<id>"). One entry more than asked tells whether a next page exists.
 */
export async function readEntries(
  connectionId: string,
  key: Buffer,
  options: { start?: string; end?: string; count?: number; direction: "forward" | "backward" },
): Promise<EntryPage> {
  assertUserKey(key);
  const count = Math.min(Math.max(Math.trunc(options.count ?? 100), 1), MAX_ENTRIES_PER_PAGE);
  const start = options.start ?? "-";
  const end = options.end ?? "+";
  if (!RANGE_BOUND.test(start) || !RANGE_BOUND.test(end)) {
    throw AppError.of("INVALID", "streamPositionMalformed");
  }
  return withClient(connectionId, async (client) => {
    const range =
      options.direction === "forward"
        ? client.xrangeBuffer(key, start, end, "COUNT", count + 1)
        : client.xrevrangeBuffer(key, end, start, "COUNT", count + 1);
    const [type, length, reply] = await Promise.all([
      client.type(key),
      client.xlen(key).catch(() => 0),
      range.catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))),
    ]);
    assertStream(type, key);
    if (reply instanceof Error) throw reply;
    const entries = reply.slice(0, count).map(toEntryView);
    const last = entries[entries.length - 1];
    return { entries, next: reply.length > count && last ? `(${last.id}` : null, length };
  });
}
