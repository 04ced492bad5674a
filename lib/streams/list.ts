import "server-only";
import { isConsoleStateKey } from "@/lib/console-state";
import type { RedisClient } from "@/lib/redis/client";
import { withClient } from "@/lib/redis/gate";
import { displayBytes, escapeGlobBytes, toKeyRef, typedBytes } from "@/lib/redis/keys";
import { databaseSize, scanKeys } from "@/lib/redis/scan";
import { entryId, fieldsOf, int, text, type Reply } from "@/lib/streams/reply";

// The streams list: a budgeted SCAN … TYPE stream (DESIGN.md contract 2), then XINFO STREAM for
// the streams found. Keys are bytes (contract 1).

export interface StreamRow {
  ref: string;
  key: string;
  length: number;
  groups: number;
  firstEntryId: string | null;
  lastEntryId: string | null;
  /** The id the next XADD builds on; differs from lastEntryId after the newest entries were deleted. */
  lastGeneratedId: string;
}

export interface StreamListPage {
  rows: StreamRow[];
  /** Continue from here; "" when every node has been scanned to the end. */
  cursor: string;
  examined: number;
  dbSize: number;
}

const PAGE_LIMIT = 100;
/** SCAN calls (COUNT 1000 each) per list request, as for the models list: ~100,000 keys at most. */
const SCAN_CALLS_PER_PAGE = 100;
const STAR = Buffer.from("*");

/** A SCAN pattern for keys containing the search's bytes, glob characters taken literally. */
function containing(search: string): Buffer {
  return Buffer.concat([STAR, escapeGlobBytes(typedBytes(search)), STAR]);
}

/** XINFO STREAM without FULL is O(1) apart from the two entries it carries; a vanished key is dropped. */
async function describeStream(client: RedisClient, key: Buffer): Promise<StreamRow | null> {
  try {
    const info = fieldsOf((await client.callBuffer("XINFO", "STREAM", key)) as Reply);
    return {
      ref: toKeyRef(key),
      key: displayBytes(key),
      length: int(info.get("length")) ?? 0,
      groups: int(info.get("groups")) ?? 0,
      firstEntryId: entryId(info.get("first-entry")),
      lastEntryId: entryId(info.get("last-entry")),
      lastGeneratedId: text(info.get("last-generated-id")) ?? "0-0",
    };
  } catch {
    return null;
  }
}

export async function listStreams(
  connectionId: string,
  options: { cursor?: string; search?: string } = {},
): Promise<StreamListPage> {
  const search = options.search?.trim() ?? "";
  return withClient(connectionId, async (client) => {
    const page = await scanKeys(client, {
      match: search ? containing(search) : "*",
      type: "stream",
      cursor: options.cursor,
      limit: PAGE_LIMIT,
      maxCalls: SCAN_CALLS_PER_PAGE,
    });
    const keys = page.keys.filter((key) => !isConsoleStateKey(key)).sort(Buffer.compare);
    const [dbSize, rows] = await Promise.all([
      databaseSize(client),
      Promise.all(keys.map((key) => describeStream(client, key))),
    ]);
    return {
      rows: rows.filter((row): row is StreamRow => row !== null),
      cursor: page.cursor,
      examined: Math.min(page.examined, dbSize),
      dbSize,
    };
  });
}
