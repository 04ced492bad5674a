import "server-only";
import { isConsoleStateKey } from "@/lib/console-state";
import { AppError } from "@/lib/errors";
import { runCommands, ttlFromPttl } from "@/lib/keys/metadata";
import { toAppError } from "@/lib/redis/errors";
import { displayBytes, toKeyRef } from "@/lib/redis/keys";
import { findConnection, readyClient, type RedisClient } from "@/lib/redis/registry";
import { readEntries, type StreamEntryView } from "@/lib/streams/entries";
import { MAX_READ_COUNT } from "@/lib/validation/keys";
import { describeValue } from "@/lib/values/describe";
import type { ValueView } from "@/lib/values/types";

// One key, read-only, whatever its type: its metadata and one bounded page of its value
// (GETRANGE, HSCAN, LRANGE, SSCAN, ZRANGE, XRANGE). Never a whole collection (DESIGN.md contract 2).

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

export interface StringPage {
  type: "string";
  /** STRLEN: bytes of the whole value. */
  size: number;
  offset: number;
  /** This page, shown as text, JSON, hex or a float32 vector; `size` and `truncated` speak of the whole value. */
  value: ValueView;
  /** The page's exact bytes, for copying or downloading. */
  base64: string;
  /** Pass as `offset` for the next page; null after the last byte. */
  nextOffset: number | null;
}

export interface HashPage {
  type: "hash";
  size: number;
  fields: { ref: string; name: string; value: ValueView }[];
  /** Pass as `cursor` for the next page; null once HSCAN has gone round. */
  cursor: string | null;
}

export interface ListPage {
  type: "list";
  length: number;
  offset: number;
  items: { index: number; value: ValueView }[];
  nextOffset: number | null;
}

export interface SetPage {
  type: "set";
  size: number;
  members: { ref: string; value: ValueView }[];
  cursor: string | null;
}

export interface ZsetPage {
  type: "zset";
  size: number;
  offset: number;
  /** Lowest score first. `score` as Redis writes it ("1.5", "inf", "-inf"), so nothing is rounded. */
  members: { ref: string; value: ValueView; score: string }[];
  nextOffset: number | null;
}

export interface StreamPage {
  type: "stream";
  length: number;
  /** Oldest first. */
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

export const STRING_CHUNK = 65_536;

type Page = StringPage | HashPage | ListPage | SetPage | ZsetPage | StreamPage;

/** A reply from runCommands, or the Redis error it carries, thrown (mapped by the caller). */
function ok<T>(reply: unknown): T {
  if (reply instanceof Error) throw reply;
  return reply as T;
}

function scanCursor(cursor: string | undefined): string {
  if (cursor === undefined || cursor === "") return "0";
  if (!/^\d+$/.test(cursor))
    throw new AppError("INVALID", "That page cursor is malformed; start from the first page.");
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
    type: String(ok(type)),
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

/** Ends a page of UTF-8 text on a character boundary, so every page reads as text on its own. */
function atCharBoundary(chunk: Buffer): Buffer {
  try {
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(chunk, { stream: true });
    const whole = Buffer.byteLength(text, "utf8");
    return whole > 0 ? chunk.subarray(0, whole) : chunk;
  } catch {
    return chunk;
  }
}

/** A page of a longer value can be shown as text, bytes or floats, but is not a number or JSON by itself. */
function describeChunk(chunk: Buffer, total: number): ValueView {
  const view = describeValue(chunk, chunk.length);
  if (chunk.length === total) return view;
  if (view.kind === "text" || view.kind === "binary" || view.kind === "vector") {
    return { ...view, size: total, truncated: true };
  }
  return { kind: "text", display: view.display, size: total, truncated: true };
}

async function stringPage(client: RedisClient, key: Buffer, offset: number): Promise<StringPage> {
  const [sizeReply, bytesReply] = await runCommands(client, [
    ["STRLEN", key],
    ["GETRANGE", key, offset, offset + STRING_CHUNK - 1],
  ]);
  const size = ok<number>(sizeReply);
  const bytes = ok<Buffer>(bytesReply);
  const chunk = offset + bytes.length < size ? atCharBoundary(bytes) : bytes;
  const end = offset + chunk.length;
  return {
    type: "string",
    size,
    offset,
    value: describeChunk(chunk, size),
    base64: chunk.toString("base64"),
    nextOffset: chunk.length > 0 && end < size ? end : null,
  };
}

async function hashPage(client: RedisClient, key: Buffer, cursor: string, count: number): Promise<HashPage> {
  const [size, reply] = await runCommands(client, [
    ["HLEN", key],
    ["HSCAN", key, cursor, "COUNT", count],
  ]);
  const [next, flat] = ok<[Buffer, Buffer[]]>(reply);
  const fields: HashPage["fields"] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    fields.push({
      ref: toKeyRef(flat[i]!),
      name: displayBytes(flat[i]!),
      value: describeValue(flat[i + 1]!),
    });
  }
  return {
    type: "hash",
    size: ok<number>(size),
    fields,
    cursor: next.toString() === "0" ? null : next.toString(),
  };
}

async function listPage(client: RedisClient, key: Buffer, offset: number, count: number): Promise<ListPage> {
  const [length, reply] = await runCommands(client, [
    ["LLEN", key],
    ["LRANGE", key, offset, offset + count - 1],
  ]);
  const items = ok<Buffer[]>(reply).map((item, i) => ({ index: offset + i, value: describeValue(item) }));
  const end = offset + items.length;
  const total = ok<number>(length);
  return {
    type: "list",
    length: total,
    offset,
    items,
    nextOffset: items.length > 0 && end < total ? end : null,
  };
}

async function setPage(client: RedisClient, key: Buffer, cursor: string, count: number): Promise<SetPage> {
  const [size, reply] = await runCommands(client, [
    ["SCARD", key],
    ["SSCAN", key, cursor, "COUNT", count],
  ]);
  const [next, members] = ok<[Buffer, Buffer[]]>(reply);
  return {
    type: "set",
    size: ok<number>(size),
    members: members.map((member) => ({ ref: toKeyRef(member), value: describeValue(member) })),
    cursor: next.toString() === "0" ? null : next.toString(),
  };
}

async function zsetPage(client: RedisClient, key: Buffer, offset: number, count: number): Promise<ZsetPage> {
  const [size, reply] = await runCommands(client, [
    ["ZCARD", key],
    ["ZRANGE", key, offset, offset + count - 1, "WITHSCORES"],
  ]);
  const flat = ok<Buffer[]>(reply);
  const members: ZsetPage["members"] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    members.push({ ref: toKeyRef(flat[i]!), value: describeValue(flat[i]!), score: flat[i + 1]!.toString() });
  }
  const end = offset + members.length;
  const total = ok<number>(size);
  return {
    type: "zset",
    size: total,
    offset,
    members,
    nextOffset: members.length > 0 && end < total ? end : null,
  };
}

async function streamPage(connectionId: string, key: Buffer, cursor: string | undefined, count: number) {
  const page = await readEntries(connectionId, key, {
    start: cursor || undefined,
    count,
    direction: "forward",
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
      throw new AppError("NOT_FOUND", `There is no key named ${displayBytes(key)}.`);
    default:
      throw new AppError("INVALID", `${displayBytes(key)} is a ${type}; the console cannot show it yet.`);
  }
}

/** The key's metadata and one page of its value. Console state is not readable here (FORBIDDEN). */
export async function readKey(
  connectionId: string,
  key: Buffer,
  options: ReadKeyOptions = {},
): Promise<KeyPage> {
  const config = findConnection(connectionId);
  if (isConsoleStateKey(key)) {
    throw new AppError(
      "FORBIDDEN",
      `${displayBytes(key)} holds the console's own data; it is not shown here.`,
    );
  }
  const offset = options.offset ?? 0;
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new AppError("INVALID", "That page offset is malformed; start from the first page.");
  }
  const count = Math.min(Math.max(Math.trunc(options.count ?? 100), 1), MAX_READ_COUNT);
  try {
    const client = await readyClient(connectionId);
    const { type, info } = await keyInfo(client, key);
    const page = await readPage(connectionId, client, key, type, { cursor: options.cursor, offset, count });
    return { ...info, ...page };
  } catch (error) {
    throw toAppError(error, config.name);
  }
}
