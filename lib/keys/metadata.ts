import "server-only";
import { consoleStateTest } from "@/lib/console-state";
import { isCluster, type RedisClient, type RedisNode } from "@/lib/redis/client";
import { displayBytes, toKeyRef } from "@/lib/redis/keys";
import { defineScript, runScript } from "@/lib/redis/lua";
import { recordOwnCommands, recordOwnReads } from "@/lib/redis/own-reads";

// What the keys browser shows beside each key: TYPE, PTTL and MEMORY USAGE, fetched for the rows
// on screen only and in one round trip (DESIGN.md contract 2): one script where scripts may run,
// else one pipeline, else (on a Cluster) the commands key by key, concurrently.

export interface KeyRow {
  ref: string;
  key: string;
  /** What TYPE answers: one of KEY_TYPES, or a module's type name (e.g. ReJSON-RL). */
  type: string;
  /** Seconds to live; null when the key does not expire. */
  ttlSeconds: number | null;
  /** MEMORY USAGE; null when the server would not tell (ACL, or the key vanished meanwhile). */
  memoryBytes: number | null;
  /** Under the console's own prefix: listed only on request, never opened or changed here. */
  consoleState: boolean;
}

export type KeyCommand = [name: string, ...args: (string | Buffer | number)[]];

/**
 * Runs commands in one pipeline; on a Cluster, where a pipeline cannot span slots, concurrently.
 * Each answer is the reply (bulk strings as Buffers) or the Redis error it got; losing the
 * connection still throws.
 */
export async function runCommands(client: RedisClient, commands: KeyCommand[]): Promise<unknown[]> {
  if (commands.length === 0) return [];
  const replyError = (error: unknown) => {
    if (isReplyError(error)) return error;
    throw error;
  };
  if (isCluster(client)) {
    return Promise.all(commands.map(([name, ...args]) => client.callBuffer(name, ...args).catch(replyError)));
  }
  const pipeline = client.pipeline();
  for (const [name, ...args] of commands) pipeline.callBuffer(name, ...args);
  const results = (await pipeline.exec()) ?? [];
  return results.map(([error, value]) => (error ? replyError(error) : value));
}

export function ttlFromPttl(pttl: unknown): number | null {
  return typeof pttl === "number" && pttl >= 0 ? Math.ceil(pttl / 1_000) : null;
}

/**
 * TYPE, PTTL and MEMORY USAGE of every key in one short read-only script: one reply instead of
 * three per key, which keeps a full scan as fast as a plain SCAN + TYPE loop. Bounded: at most
 * a page of keys (the list's MAX_LIMIT), and MEMORY USAGE samples a few elements of a big value, never all of them.
 */
const METADATA_SCRIPT = defineScript(`local out = {}
for _, key in ipairs(KEYS) do
  local kind = redis.call('TYPE', key)
  out[#out + 1] = kind.ok or kind
  out[#out + 1] = redis.call('PTTL', key)
  out[#out + 1] = redis.call('MEMORY', 'USAGE', key) or -1
end
return out`);

function isReplyError(error: unknown): error is Error {
  return error instanceof Error && error.name === "ReplyError";
}

/** The script's flat replies, or null where scripts may not run (ACL, managed Redis): then a pipeline. */
async function metadataByScript(client: RedisNode, keys: Buffer[]): Promise<unknown[] | null> {
  try {
    const replies = (await runScript(client, METADATA_SCRIPT, keys, [], { readOnly: true })) as unknown[];
    // TYPE and PTTL look the key up, and Redis counts each as a keyspace hit or miss.
    const found = keys.filter((_, i) => String(replies[i * 3]) !== "none").length;
    recordOwnReads(client, { hits: 2 * found, misses: 2 * (keys.length - found) });
    // Redis counts the script's own calls in ops/s and commandstats, as the console's work.
    recordOwnCommands(client, { type: keys.length, pttl: keys.length, "memory|usage": keys.length });
    return replies;
  } catch (error) {
    if (isReplyError(error)) return null;
    throw error;
  }
}

/** [type, pttl, memory] for each key, flat: by script where allowed, else one pipeline (per key on a Cluster). */
async function keyMetadata(client: RedisClient, keys: Buffer[]): Promise<unknown[]> {
  if (keys.length === 0) return [];
  const scripted = isCluster(client) ? null : await metadataByScript(client, keys);
  if (scripted) return scripted;
  return runCommands(
    client,
    keys.flatMap((key): KeyCommand[] => [
      ["TYPE", key],
      ["PTTL", key],
      ["MEMORY", "USAGE", key],
    ]),
  );
}

/** Rows for the keys given, in their order; keys that vanished since the scan are left out. */
export async function describeKeys(client: RedisClient, keys: Buffer[]): Promise<KeyRow[]> {
  const replies = await keyMetadata(client, keys);
  const isConsoleState = consoleStateTest();
  const rows: KeyRow[] = [];
  keys.forEach((key, i) => {
    const type = String(replies[i * 3]);
    const pttl = replies[i * 3 + 1];
    const memory = replies[i * 3 + 2];
    if (type === "none" || pttl === -2) return;
    rows.push({
      ref: toKeyRef(key),
      key: displayBytes(key),
      type,
      ttlSeconds: ttlFromPttl(pttl),
      memoryBytes: typeof memory === "number" && memory >= 0 ? memory : null,
      consoleState: isConsoleState(key),
    });
  });
  return rows;
}
