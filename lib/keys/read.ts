import "server-only";
import { isConsoleStateKey } from "@/lib/console-state";
import { AppError } from "@/lib/errors";
import { runCommands, ttlFromPttl } from "@/lib/keys/metadata";
import type { RedisClient } from "@/lib/redis/client";
import { withClient } from "@/lib/redis/gate";
import { displayBytes, toKeyRef } from "@/lib/redis/keys";
import {
  hashPage,
  listPage,
  replyOf,
  setPage,
  stringPage,
  zsetPage,
  type HashPage,
  type ListPage,
  type SetPage,
  type StringPage,
  type ZsetPage,
} from "@/lib/keys/value-pages";
import { readEntries, type StreamEntryView } from "@/lib/streams/entries";
import { MAX_READ_COUNT } from "@/lib/validation/keys";

// One key, read-only, whatever its type: its metadata and one bounded page of its value
// (lib/keys/value-pages.ts; a stream's from lib/streams). Never a whole collection (DESIGN.md
// contract 2).

export type { HashPage, ListPage, SetPage, StringPage, ZsetPage } from "@/lib/keys/value-pages";
export { STRING_CHUNK } from "@/lib/keys/value-pages";

export interface KeyInfo {
  ref: string;
  key: string;
  ttlSeconds: number | null;
  memoryBytes: number | null;
  /** OBJECT ENCODING (listpack, hashtable, embstr, …). */
  encoding: string | null;
  /** OBJECT IDLETIME; null under an LFU maxmemory policy, where Redis does not track it. */
  idleSeconds: number | null;
  /** OBJECT FREQ; only under an LFU maxmemory policy, null otherwise. */
  frequency: number | null;
}

export interface StreamPage {
  type: "stream";
  length: number;
  /** Newest first. */
  entries: StreamEntryView[];
  /** Pass as `cursor` for the next page (an exclusive `(<id>` position); null at the end. */
  cursor: string | null;
}

export type KeyPage = KeyInfo & (StringPage | HashPage | ListPage | SetPage | ZsetPage | StreamPage);

export interface ReadKeyOptions {
  /** HSCAN/SSCAN cursor, or a stream position; from the previous page. */
  cursor?: string;
  /** String byte offset, or list / sorted-set index. */
  offset?: number;
  /** Items per page (1–500, default 100); strings are read STRING_CHUNK bytes at a time. */
  count?: number;
}

type Page = StringPage | HashPage | ListPage | SetPage | ZsetPage | StreamPage;

function scanCursor(cursor: string | undefined): string {
  if (cursor === undefined || cursor === "") return "0";
  if (!/^\d+$/.test(cursor)) throw AppError.of("INVALID", "pageCursorMalformed");
  return cursor;
}

async function keyInfo(client: RedisClient, key: Buffer): Promise<{ type: string; info: KeyInfo }> {
  const [type, pttl, memory, encoding, idle, frequency] = await runCommands(client, [
    ["TYPE", key],
    ["PTTL", key],
    ["MEMORY", "USAGE", key],
    ["OBJECT", "ENCODING", key],
    ["OBJECT", "IDLETIME", key],
    ["OBJECT", "FREQ", key],
  ]);
  const number = (reply: unknown) => (typeof reply === "number" ? reply : null);
  return {
    type: String(replyOf(type)),
    info: {
      ref: toKeyRef(key),
      key: displayBytes(key),
      ttlSeconds: ttlFromPttl(pttl),
      memoryBytes: number(memory),
      encoding: Buffer.isBuffer(encoding) ? encoding.toString() : null,
      idleSeconds: number(idle),
      frequency: number(frequency),
    },
  };
}

/** Newest first, like the Monitor's entries; oldest first is the stream entries route's `forward`. */
async function streamPage(connectionId: string, key: Buffer, cursor: string | undefined, count: number) {
  const page = await readEntries(connectionId, key, {
    end: cursor || undefined,
    count,
    direction: "backward",
  });
  return { type: "stream" as const, length: page.length, entries: page.entries, cursor: page.next };
}

async function readPage(
  connectionId: string,
  client: RedisClient,
  key: Buffer,
  type: string,
  options: { cursor?: string; offset: number; count: number },
): Promise<Page> {
  switch (type) {
    case "string":
      return stringPage(client, key, options.offset);
    case "hash":
      return hashPage(client, key, scanCursor(options.cursor), options.count);
    case "list":
      return listPage(client, key, options.offset, options.count);
    case "set":
      return setPage(client, key, scanCursor(options.cursor), options.count);
    case "zset":
      return zsetPage(client, key, options.offset, options.count);
    case "stream":
      return streamPage(connectionId, key, options.cursor, options.count);
    case "none":
      throw AppError.of("NOT_FOUND", "noSuchKey", { key: displayBytes(key) });
    default:
      throw AppError.of("INVALID", "cannotShowType", { key: displayBytes(key), type });
  }
}

/** The key's metadata and one page of its value. Console state is not readable here (FORBIDDEN). */
export async function readKey(
  connectionId: string,
  key: Buffer,
  options: ReadKeyOptions = {},
): Promise<KeyPage> {
  if (isConsoleStateKey(key)) {
    throw AppError.of("FORBIDDEN", "consoleKeyHidden", { key: displayBytes(key) });
  }
  const offset = options.offset ?? 0;
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw AppError.of("INVALID", "pageOffsetMalformed");
  }
  const count = Math.min(Math.max(Math.trunc(options.count ?? 100), 1), MAX_READ_COUNT);
  return withClient(connectionId, async (client) => {
    const { type, info } = await keyInfo(client, key);
    const page = await readPage(connectionId, client, key, type, { cursor: options.cursor, offset, count });
    return { ...info, ...page };
  });
}
