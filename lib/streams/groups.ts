import "server-only";
import { AppError } from "@/lib/errors";
import type { RedisClient } from "@/lib/redis/client";
import { withClient } from "@/lib/redis/gate";
import { displayBytes, toKeyRef, typedBytes } from "@/lib/redis/keys";
import { assertStream, assertUserKey } from "@/lib/streams/guards";
import { fieldsOf, int, text, type Reply } from "@/lib/streams/reply";

// A stream's consumer groups: read with their consumers and pending entries (groups and consumers
// capped, DESIGN.md contract 2), created, and acknowledged. Group names are bytes (contract 1).

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

export const MAX_GROUPS = 100;
export const MAX_CONSUMERS = 100;
/** When Redis cannot tell a group's lag, entries are counted up to this many. */
const LAG_COUNT_CAP = 1_000;

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
  assertUserKey(key);
  return withClient(connectionId, async (client) => {
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
  });
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
  assertUserKey(key);
  const name = typedBytes(group);
  return withClient(connectionId, async (client) => {
    // TYPE is answered before XGROUP runs, so a missing or wrong-typed key is reported as such.
    const [type, created] = await Promise.all([
      client.type(key),
      client.callBuffer("XGROUP", "CREATE", key, name, startId).catch((error: unknown) => error),
    ]);
    assertStream(type, key);
    if (created instanceof Error) throw groupCreateError(created, key, name);
    return { group: displayBytes(name), ref: toKeyRef(name) };
  });
}

function groupCreateError(error: Error, key: Buffer, name: Buffer): Error {
  if (error.message.startsWith("BUSYGROUP")) {
    return AppError.of("CONFLICT", "groupExists", { group: displayBytes(name), key: displayBytes(key) });
  }
  if (error.message.includes("requires the key to exist")) {
    return AppError.of("NOT_FOUND", "noSuchStream", { key: displayBytes(key) });
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
  assertUserKey(key);
  if (ids.length === 0) return 0;
  return withClient(connectionId, async (client) => {
    const [type, acked] = await Promise.all([
      client.type(key),
      client.xack(key, typedBytes(group), ...ids).catch((error: unknown) => error),
    ]);
    assertStream(type, key);
    if (acked instanceof Error) throw acked;
    return acked as number;
  });
}
