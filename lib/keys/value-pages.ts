import "server-only";
import { runCommands } from "@/lib/keys/metadata";
import type { RedisClient } from "@/lib/redis/client";
import { displayBytes, toKeyRef } from "@/lib/redis/keys";
import { describeValue } from "@/lib/values/describe";
import type { ValueView } from "@/lib/values/types";

// One bounded page of a key's value, per type: GETRANGE for a string (STRING_CHUNK bytes), HSCAN,
// LRANGE, SSCAN and ZRANGE with COUNT for collections, each beside the size of the whole
// (STRLEN, HLEN, LLEN, SCARD, ZCARD) in one round trip. lib/keys/read.ts picks the reader by TYPE.

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

export const STRING_CHUNK = 65_536;

/** A reply from runCommands, or the Redis error it carries, thrown (mapped by the gate). */
export function replyOf<T>(reply: unknown): T {
  if (reply instanceof Error) throw reply;
  return reply as T;
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

export async function stringPage(client: RedisClient, key: Buffer, offset: number): Promise<StringPage> {
  const [sizeReply, bytesReply] = await runCommands(client, [
    ["STRLEN", key],
    ["GETRANGE", key, offset, offset + STRING_CHUNK - 1],
  ]);
  const size = replyOf<number>(sizeReply);
  const bytes = replyOf<Buffer>(bytesReply);
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

export async function hashPage(
  client: RedisClient,
  key: Buffer,
  cursor: string,
  count: number,
): Promise<HashPage> {
  const [size, reply] = await runCommands(client, [
    ["HLEN", key],
    ["HSCAN", key, cursor, "COUNT", count],
  ]);
  const [next, flat] = replyOf<[Buffer, Buffer[]]>(reply);
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
    size: replyOf<number>(size),
    fields,
    cursor: next.toString() === "0" ? null : next.toString(),
  };
}

export async function listPage(
  client: RedisClient,
  key: Buffer,
  offset: number,
  count: number,
): Promise<ListPage> {
  const [length, reply] = await runCommands(client, [
    ["LLEN", key],
    ["LRANGE", key, offset, offset + count - 1],
  ]);
  const items = replyOf<Buffer[]>(reply).map((item, i) => ({
    index: offset + i,
    value: describeValue(item),
  }));
  const end = offset + items.length;
  const total = replyOf<number>(length);
  return {
    type: "list",
    length: total,
    offset,
    items,
    nextOffset: items.length > 0 && end < total ? end : null,
  };
}

export async function setPage(
  client: RedisClient,
  key: Buffer,
  cursor: string,
  count: number,
): Promise<SetPage> {
  const [size, reply] = await runCommands(client, [
    ["SCARD", key],
    ["SSCAN", key, cursor, "COUNT", count],
  ]);
  const [next, members] = replyOf<[Buffer, Buffer[]]>(reply);
  return {
    type: "set",
    size: replyOf<number>(size),
    members: members.map((member) => ({ ref: toKeyRef(member), value: describeValue(member) })),
    cursor: next.toString() === "0" ? null : next.toString(),
  };
}

export async function zsetPage(
  client: RedisClient,
  key: Buffer,
  offset: number,
  count: number,
): Promise<ZsetPage> {
  const [size, reply] = await runCommands(client, [
    ["ZCARD", key],
    ["ZRANGE", key, offset, offset + count - 1, "WITHSCORES"],
  ]);
  const flat = replyOf<Buffer[]>(reply);
  const members: ZsetPage["members"] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    members.push({ ref: toKeyRef(flat[i]!), value: describeValue(flat[i]!), score: flat[i + 1]!.toString() });
  }
  const end = offset + members.length;
  const total = replyOf<number>(size);
  return {
    type: "zset",
    size: total,
    offset,
    members,
    nextOffset: members.length > 0 && end < total ? end : null,
  };
}
