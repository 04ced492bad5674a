import "server-only";
import { statePrefix } from "@/lib/console-state";
import { AppError } from "@/lib/errors";
import { toAppError } from "@/lib/redis/errors";
import { displayBytes, toKeyRef } from "@/lib/redis/keys";
import { findConnection, readyClient, type RedisClient } from "@/lib/redis/registry";
import { databaseSize, scanKeys } from "@/lib/redis/scan";
import { describeValue } from "@/lib/values/describe";
import type { ValueView } from "@/lib/values/types";
import { typedBytes } from "@/lib/validation/monitor";

// Streams and their consumer groups, read in bounded steps (DESIGN.md contract 2): the list is a
// budgeted SCAN … TYPE stream, entries come XRANGE … COUNT at a time, groups and consumers are
// capped. Keys, field names and group names are bytes (contract 1).

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

export interface ConsumerView {
  name: string;
  ref: string;
  pending: number;
  idleMs: number;
  /** Since its last successful read (Redis 7.2+); null when the server does not report it. */
  inactiveMs: number | null;
}

export interface GroupView {
  name: string;
  ref: string;
  consumerCount: number;
  consumers: ConsumerView[];
  consumersTruncated: boolean;
  pending: number;
  pendingRange: { smallest: string; largest: string } | null;
  /** The pending entry with the smallest id: the one waiting longest for an ack. */
  oldestPending: { id: string; consumer: string; idleMs: number; deliveries: number } | null;
  lastDeliveredId: string;
  entriesRead: number | null;
  /** Entries not yet delivered to the group; `lagSource` says how sure that number is. */
  lag: number | null;
  lagSource: "redis" | "counted" | "at-least";
}

export interface GroupList {
  groups: GroupView[];
  truncated: boolean;
  length: number;
}

const PAGE_LIMIT = 100;
/** SCAN calls (COUNT 1000 each) per list request, as for the models list: ~100,000 keys at most. */
const SCAN_CALLS_PER_PAGE = 100;
export const MAX_ENTRIES_PER_PAGE = 500;
const MAX_FIELDS_SHOWN = 100;
/** Stream values are shown in a table row; the full value is a click away elsewhere. */
const VALUE_DISPLAY_CAP = 1_024;
export const MAX_GROUPS = 100;
export const MAX_CONSUMERS = 100;
/** When Redis cannot tell a group's lag, entries are counted up to this many. */
const LAG_COUNT_CAP = 1_000;
const RANGE_BOUND = /^(-|\+|\(?\d+(-\d+)?)$/;

type Reply = Buffer | number | null | Reply[];

/** A RESP2 flat map (name, value, name, value…) as a lookup by name. */
function fieldsOf(flat: Reply): Map<string, Reply> {
  const map = new Map<string, Reply>();
  if (!Array.isArray(flat)) return map;
  for (let i = 0; i + 1 < flat.length; i += 2) map.set(String(flat[i]), flat[i + 1]!);
  return map;
}

function text(value: Reply | undefined): string | null {
  return Buffer.isBuffer(value) || typeof value === "number" ? String(value) : null;
}

function int(value: Reply | undefined): number | null {
  const parsed = text(value);
  return parsed === null ? null : Number(parsed);
}

/** The id of an `[id, fields]` entry reply, or null for none. */
function entryId(entry: Reply | undefined): string | null {
  return Array.isArray(entry) ? text(entry[0]) : null;
}

function isConsoleState(key: Buffer): boolean {
  return key.subarray(0, Buffer.byteLength(statePrefix())).equals(Buffer.from(statePrefix()));
}

/** The console's own streams (the audit log) are hidden and not readable here (DESIGN.md: console state). */
function assertUserKey(key: Buffer): void {
  if (isConsoleState(key)) {
    throw new AppError(
      "FORBIDDEN",
      `${displayBytes(key)} holds the console's own data; it is not shown here.`,
    );
  }
}

function assertStream(type: string, key: Buffer): void {
  if (type === "none") throw new AppError("NOT_FOUND", `There is no stream named ${displayBytes(key)}.`);
  if (type !== "stream") throw new AppError("INVALID", `${displayBytes(key)} is a ${type}, not a stream.`);
}

/** A SCAN pattern for keys containing the search's bytes, glob characters taken literally. */
function containing(search: string): Buffer {
  const out: number[] = [0x2a];
  for (const byte of typedBytes(search)) {
    if ("\\*?[]".includes(String.fromCharCode(byte))) out.push(0x5c);
    out.push(byte);
  }
  out.push(0x2a);
  return Buffer.from(out);
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
  const config = findConnection(connectionId);
  const search = options.search?.trim() ?? "";
  try {
    const client = await readyClient(connectionId);
    const page = await scanKeys(client, {
      match: search ? containing(search) : "*",
      type: "stream",
      cursor: options.cursor,
      limit: PAGE_LIMIT,
      maxCalls: SCAN_CALLS_PER_PAGE,
    });
    const keys = page.keys.filter((key) => !isConsoleState(key)).sort(Buffer.compare);
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
  } catch (error) {
    throw toAppError(error, config.name);
  }
}

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
  const config = findConnection(connectionId);
  assertUserKey(key);
  const count = Math.min(Math.max(Math.trunc(options.count ?? 100), 1), MAX_ENTRIES_PER_PAGE);
  const start = options.start ?? "-";
  const end = options.end ?? "+";
  if (!RANGE_BOUND.test(start) || !RANGE_BOUND.test(end)) {
    throw new AppError("INVALID", "That stream position is malformed; start from the first page.");
  }
  try {
    const client = await readyClient(connectionId);
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
  } catch (error) {
    throw toAppError(error, config.name);
  }
}

function toConsumer(flat: Reply): ConsumerView {
  const info = fieldsOf(flat);
  const name = info.get("name");
  const bytes = Buffer.isBuffer(name) ? name : Buffer.alloc(0);
  return {
    name: displayBytes(bytes),
    ref: toKeyRef(bytes),
    pending: int(info.get("pending")) ?? 0,
    idleMs: int(info.get("idle")) ?? 0,
    inactiveMs: int(info.get("inactive")),
  };
}

/** Redis 7 reports lag; before 7, or after deletions in the unread part, count what is left (capped). */
async function groupLag(
  client: RedisClient,
  key: Buffer,
  reported: number | null,
  lastDeliveredId: string,
): Promise<Pick<GroupView, "lag" | "lagSource">> {
  if (reported !== null) return { lag: reported, lagSource: "redis" };
  const after = await client.xrangeBuffer(key, `(${lastDeliveredId}`, "+", "COUNT", LAG_COUNT_CAP + 1);
  return after.length > LAG_COUNT_CAP
    ? { lag: LAG_COUNT_CAP, lagSource: "at-least" }
    : { lag: after.length, lagSource: "counted" };
}

async function pendingDetails(
  client: RedisClient,
  key: Buffer,
  group: Buffer,
): Promise<Pick<GroupView, "pendingRange" | "oldestPending">> {
  const [summary, first] = (await Promise.all([
    client.callBuffer("XPENDING", key, group),
    client.callBuffer("XPENDING", key, group, "-", "+", 1),
  ])) as [Reply[], Reply[][]];
  const smallest = text(summary[1]);
  const largest = text(summary[2]);
  const oldest = first[0];
  return {
    pendingRange: smallest && largest ? { smallest, largest } : null,
    oldestPending: oldest
      ? {
          id: text(oldest[0]) ?? "",
          consumer: Buffer.isBuffer(oldest[1]) ? displayBytes(oldest[1]) : "",
          idleMs: int(oldest[2]) ?? 0,
          deliveries: int(oldest[3]) ?? 0,
        }
      : null,
  };
}

/** One group in full; null when it was destroyed while we were reading. */
async function describeGroup(client: RedisClient, key: Buffer, flat: Reply): Promise<GroupView | null> {
  const info = fieldsOf(flat);
  const name = info.get("name");
  if (!Buffer.isBuffer(name)) return null;
  const pending = int(info.get("pending")) ?? 0;
  const lastDeliveredId = text(info.get("last-delivered-id")) ?? "0-0";
  try {
    const [consumers, pendingInfo, lag] = await Promise.all([
      client.callBuffer("XINFO", "CONSUMERS", key, name) as Promise<Reply[]>,
      pending > 0 ? pendingDetails(client, key, name) : { pendingRange: null, oldestPending: null },
      groupLag(client, key, int(info.get("lag")), lastDeliveredId),
    ]);
    return {
      name: displayBytes(name),
      ref: toKeyRef(name),
      consumerCount: int(info.get("consumers")) ?? consumers.length,
      consumers: consumers.slice(0, MAX_CONSUMERS).map(toConsumer),
      consumersTruncated: consumers.length > MAX_CONSUMERS,
      pending,
      ...pendingInfo,
      lastDeliveredId,
      entriesRead: int(info.get("entries-read")),
      ...lag,
    };
  } catch (error) {
    if (error instanceof Error && error.message.startsWith("NOGROUP")) return null;
    throw error;
  }
}

export async function streamGroups(connectionId: string, key: Buffer): Promise<GroupList> {
  const config = findConnection(connectionId);
  assertUserKey(key);
  try {
    const client = await readyClient(connectionId);
    const [type, length, reply] = await Promise.all([
      client.type(key),
      client.xlen(key).catch(() => 0),
      client.callBuffer("XINFO", "GROUPS", key).catch((error: unknown) => error),
    ]);
    assertStream(type, key);
    if (reply instanceof Error) throw reply;
    const listed = reply as Reply[];
    const groups = await Promise.all(
      listed.slice(0, MAX_GROUPS).map((flat) => describeGroup(client, key, flat)),
    );
    return {
      groups: groups.filter((group): group is GroupView => group !== null),
      truncated: listed.length > MAX_GROUPS,
      length,
    };
  } catch (error) {
    throw toAppError(error, config.name);
  }
}

/**
 * Creates a consumer group on an existing stream. Never MKSTREAM: a typo in the key must not
 * create an empty stream. `group` is typed text (escapes allowed, as the page shows names).
 */
export async function createGroup(
  connectionId: string,
  key: Buffer,
  group: string,
  /** "$" (new entries only), "0" (the whole stream) or an entry id. */
  startId: string,
): Promise<{ group: string; ref: string }> {
  const config = findConnection(connectionId);
  assertUserKey(key);
  const name = typedBytes(group);
  try {
    const client = await readyClient(connectionId);
    // TYPE is answered before XGROUP runs, so a missing or wrong-typed key is reported as such.
    const [type, created] = await Promise.all([
      client.type(key),
      client.callBuffer("XGROUP", "CREATE", key, name, startId).catch((error: unknown) => error),
    ]);
    assertStream(type, key);
    if (created instanceof Error) throw groupCreateError(created, key, name);
    return { group: displayBytes(name), ref: toKeyRef(name) };
  } catch (error) {
    throw toAppError(error, config.name);
  }
}

function groupCreateError(error: Error, key: Buffer, name: Buffer): Error {
  if (error.message.startsWith("BUSYGROUP")) {
    return new AppError(
      "CONFLICT",
      `A group named ${displayBytes(name)} exists on ${displayBytes(key)} already.`,
    );
  }
  if (error.message.includes("requires the key to exist")) {
    return new AppError("NOT_FOUND", `There is no stream named ${displayBytes(key)}.`);
  }
  return error;
}

/** Acknowledges pending entries; answers how many were pending in the group and are no longer. */
export async function ackEntries(
  connectionId: string,
  key: Buffer,
  group: string,
  ids: string[],
): Promise<number> {
  const config = findConnection(connectionId);
  assertUserKey(key);
  if (ids.length === 0) return 0;
  try {
    const client = await readyClient(connectionId);
    const [type, acked] = await Promise.all([
      client.type(key),
      client.xack(key, typedBytes(group), ...ids).catch((error: unknown) => error),
    ]);
    assertStream(type, key);
    if (acked instanceof Error) throw acked;
    return acked as number;
  } catch (error) {
    throw toAppError(error, config.name);
  }
}
