import "server-only";
import { Cluster } from "ioredis";
import { AppError } from "@/lib/errors";
import { DIGEST_PATTERN, digestOf } from "@/lib/models/digest";
import type { Conflict, FieldChange } from "@/lib/models/types";
import { toAppError } from "@/lib/redis/errors";
import { displayBytes, escapeGlob, fromKeyRef, toKeyRef } from "@/lib/redis/keys";
import { dataNodes, findConnection, readyClient, type RedisClient } from "@/lib/redis/registry";
import { describeValue } from "@/lib/values/describe";

// The write side of models (DESIGN.md contract 3: no lost updates). Each write is one Lua script:
// its checks and its effects run with no other command in between, so a stale edit is refused
// whether the other writer was the console or a script doing HSET.

/** Most changes one call applies; the script holds Redis while it runs, so a bigger edit is split. */
export const MAX_CHANGES = 10_000;

/** A field before and after a write, exact bytes; null = absent. History records these. */
export interface AppliedChange {
  field: Buffer;
  old: Buffer | null;
  new: Buffer | null;
}

export type ApplyResult = { ok: true; applied: AppliedChange[] } | { ok: false; conflicts: Conflict[] };

export type RenameResult =
  { ok: true; value: Buffer; applied: AppliedChange[] } | { ok: false; conflicts: Conflict[] };

interface LuaScript {
  source: string;
  sha: string;
}

function luaScript(source: string): LuaScript {
  return { source, sha: digestOf(Buffer.from(source)) };
}

// Replies are tagged arrays: {"ok", …}, {"conflict", …}, {"type", <type>} (not a hash),
// {"missing"} (no such key), {"exists"} (the name asked for is taken). Lua false becomes nil.

/**
 * Compare-and-set of many fields of one hash, all or nothing.
 * KEYS[1] the hash. ARGV[1] "1" when the hash must already exist. Then four arguments per change:
 * field, expected digest ("" = must be absent), "set" or "del", new value ("" for del).
 * Replies {"conflict", index, current, …} (0-based change index) or {"ok", old, old, …}.
 */
const APPLY_CHANGES = luaScript(`
local key = KEYS[1]
local kind = redis.call("TYPE", key)["ok"]
if kind ~= "hash" and kind ~= "none" then return {"type", kind} end
if kind == "none" and ARGV[1] == "1" then return {"missing"} end
local olds, conflicts = {"ok"}, {"conflict"}
for i = 2, #ARGV, 4 do
  local current = redis.call("HGET", key, ARGV[i])
  local expected = ARGV[i + 1]
  local same
  if current then same = redis.sha1hex(current) == expected else same = expected == "" end
  if not same then
    conflicts[#conflicts + 1] = (i - 2) / 4
    conflicts[#conflicts + 1] = current
  end
  olds[#olds + 1] = current
end
if #conflicts > 1 then return conflicts end
-- Every check passed: only now is anything written.
for i = 2, #ARGV, 4 do
  if ARGV[i + 2] == "set" then
    redis.call("HSET", key, ARGV[i], ARGV[i + 3])
  else
    redis.call("HDEL", key, ARGV[i])
  end
end
return olds
`);

/**
 * Moves a field's value to a new name in one step, so no reader sees neither or both names.
 * KEYS[1] the hash; ARGV from, to, expected digest of from's value.
 * Replies {"conflict", current} when from is gone or changed, {"exists"} when to is taken, {"ok", value}.
 */
const RENAME_FIELD = luaScript(`
local key = KEYS[1]
local kind = redis.call("TYPE", key)["ok"]
if kind == "none" then return {"missing"} end
if kind ~= "hash" then return {"type", kind} end
local value = redis.call("HGET", key, ARGV[1])
if not value or redis.sha1hex(value) ~= ARGV[3] then return {"conflict", value} end
if redis.call("HEXISTS", key, ARGV[2]) == 1 then return {"exists"} end
redis.call("HSET", key, ARGV[2], value)
redis.call("HDEL", key, ARGV[1])
return {"ok", value}
`);

/** KEYS[1] source, KEYS[2] target. COPY without REPLACE never overwrites; replies {"ok", fields}. */
const CLONE_HASH = luaScript(`
local kind = redis.call("TYPE", KEYS[1])["ok"]
if kind == "none" then return {"missing"} end
if kind ~= "hash" then return {"type", kind} end
if redis.call("COPY", KEYS[1], KEYS[2]) == 0 then return {"exists"} end
return {"ok", redis.call("HLEN", KEYS[2])}
`);

/** For a cluster, where source and target may live on different nodes: a snapshot to RESTORE. */
const DUMP_HASH = luaScript(`
local kind = redis.call("TYPE", KEYS[1])["ok"]
if kind == "none" then return {"missing"} end
if kind ~= "hash" then return {"type", kind} end
return {"ok", redis.call("DUMP", KEYS[1]), redis.call("PTTL", KEYS[1])}
`);

/** EVALSHA, falling back to EVAL when the server has not seen the script (restart, failover). */
async function runScript(
  client: RedisClient,
  script: LuaScript,
  keys: Buffer[],
  args: (Buffer | string)[],
): Promise<unknown> {
  const tail = [keys.length, ...keys, ...args];
  try {
    return await client.callBuffer("EVALSHA", [script.sha, ...tail]);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
    return client.callBuffer("EVAL", [script.source, ...tail]);
  }
}

interface ScriptReply {
  tag: string;
  rest: unknown[];
}

function parseReply(reply: unknown): ScriptReply {
  if (!Array.isArray(reply) || reply.length === 0) {
    throw new AppError("INTERNAL", "Redis answered a write in an unexpected shape; nothing is assumed.");
  }
  const items: unknown[] = reply;
  return { tag: String(items[0]), rest: items.slice(1) };
}

function bytesOrNull(value: unknown): Buffer | null {
  return Buffer.isBuffer(value) ? value : null;
}

function quoted(key: Buffer): string {
  return `"${displayBytes(key)}"`;
}

/** The refusals every script shares: the key is not a hash, or it is gone. */
function refusal(reply: ScriptReply, key: Buffer): AppError {
  if (reply.tag === "type") {
    return new AppError(
      "INVALID",
      `${quoted(key)} is a ${String(reply.rest[0])}, not a hash; nothing was changed.`,
    );
  }
  if (reply.tag === "missing") {
    return new AppError("NOT_FOUND", `${quoted(key)} does not exist (any more); nothing was changed.`);
  }
  return new AppError("INTERNAL", "Redis answered a write in an unexpected shape; nothing is assumed.");
}

/** Runs against the connection's client; every Redis failure leaves as an AppError. */
async function onConnection<T>(connectionId: string, run: (client: RedisClient) => Promise<T>): Promise<T> {
  const client = await readyClient(connectionId);
  try {
    return await run(client);
  } catch (error) {
    throw toAppError(error, findConnection(connectionId).name);
  }
}

export function conflictOf(field: Buffer, expected: string | null, current: Buffer | null): Conflict {
  return {
    field: toKeyRef(field),
    fieldName: displayBytes(field),
    expected,
    current: current ? describeValue(current) : null,
    currentDigest: current ? digestOf(current) : null,
  };
}

interface DecodedChange {
  field: Buffer;
  expected: string | null;
  value: Buffer | null;
}

function decodeChange(change: FieldChange): DecodedChange {
  const field = fromKeyRef(change.field);
  const value = change.value === null ? null : fromKeyRef(change.value);
  if (!field || (change.value !== null && !value)) {
    throw new AppError("INVALID", "An edit carried a malformed field or value; reload the model and retry.");
  }
  if (change.expected !== null && !DIGEST_PATTERN.test(change.expected)) {
    throw new AppError("INVALID", `The edit of ${quoted(field)} does not say which value it was based on.`);
  }
  return { field, expected: change.expected, value };
}

function decodeChanges(changes: FieldChange[]): DecodedChange[] {
  if (changes.length > MAX_CHANGES) {
    throw new AppError(
      "INVALID",
      `One edit applies at most ${MAX_CHANGES.toLocaleString("en-US")} changes; this one has ` +
        `${changes.length.toLocaleString("en-US")}. Split it into smaller batches.`,
    );
  }
  const seen = new Set<string>();
  return changes.map((change) => {
    const decoded = decodeChange(change);
    // Refs are canonical, so equal refs are equal bytes.
    if (seen.has(change.field)) {
      throw new AppError(
        "INVALID",
        `${quoted(decoded.field)} is changed twice in one edit; keep one change.`,
      );
    }
    seen.add(change.field);
    return decoded;
  });
}

function sameBytes(a: Buffer | null, b: Buffer | null): boolean {
  return a === null || b === null ? a === b : a.equals(b);
}

/**
 * Applies every change only if every field still holds the value its change was based on
 * (absent when `expected` is null); otherwise writes nothing and returns each stale field with
 * what it holds now. `applied` lists the fields whose bytes actually changed, with exact old bytes.
 * `requireHash` refuses (NOT_FOUND) when the key is gone instead of creating it.
 */
export async function applyChanges(
  connectionId: string,
  key: Buffer,
  changes: FieldChange[],
  opts: { requireHash?: boolean } = {},
): Promise<ApplyResult> {
  const decoded = decodeChanges(changes);
  if (decoded.length === 0) return { ok: true, applied: [] };
  const args: (Buffer | string)[] = [opts.requireHash ? "1" : "0"];
  for (const change of decoded) {
    args.push(change.field, change.expected ?? "", change.value ? "set" : "del", change.value ?? "");
  }
  return onConnection(connectionId, async (client) => {
    const reply = parseReply(await runScript(client, APPLY_CHANGES, [key], args));
    if (reply.tag === "conflict") {
      const conflicts: Conflict[] = [];
      for (let i = 0; i + 1 < reply.rest.length; i += 2) {
        const change = decoded[Number(reply.rest[i])];
        if (change) conflicts.push(conflictOf(change.field, change.expected, bytesOrNull(reply.rest[i + 1])));
      }
      return { ok: false, conflicts };
    }
    if (reply.tag !== "ok") throw refusal(reply, key);
    const applied = decoded
      .map((change, i) => ({ field: change.field, old: bytesOrNull(reply.rest[i]), new: change.value }))
      .filter((change) => !sameBytes(change.old, change.new));
    return { ok: true, applied };
  });
}

/**
 * Renames a field atomically: `from` must still hold the value digested as `expected`, and `to`
 * must not exist (CONFLICT: the user picks another name). A stale `from` comes back as a conflict.
 */
export async function renameField(
  connectionId: string,
  key: Buffer,
  from: Buffer,
  to: Buffer,
  expected: string,
): Promise<RenameResult> {
  if (from.equals(to)) throw new AppError("INVALID", "The new field name is the same as the old one.");
  return onConnection(connectionId, async (client) => {
    const reply = parseReply(await runScript(client, RENAME_FIELD, [key], [from, to, expected]));
    if (reply.tag === "conflict") {
      return { ok: false, conflicts: [conflictOf(from, expected, bytesOrNull(reply.rest[0]))] };
    }
    if (reply.tag === "exists") {
      throw new AppError("CONFLICT", `A field named ${quoted(to)} already exists; pick another name.`);
    }
    const value = bytesOrNull(reply.rest[0]);
    if (reply.tag !== "ok" || !value) throw refusal(reply, key);
    const applied = [
      { field: from, old: value, new: null },
      { field: to, old: null, new: value },
    ];
    return { ok: true, value, applied };
  });
}

function targetTaken(target: Buffer): AppError {
  return new AppError("CONFLICT", `${quoted(target)} already exists; pick another name.`);
}

/** Snapshot + RESTORE without REPLACE: still all-or-nothing, and it never overwrites the target. */
async function cloneAcrossSlots(client: RedisClient, source: Buffer, target: Buffer): Promise<number> {
  const reply = parseReply(await runScript(client, DUMP_HASH, [source], []));
  const payload = bytesOrNull(reply.rest[0]);
  if (reply.tag !== "ok" || !payload) throw refusal(reply, source);
  const ttl = Math.max(Number(reply.rest[1]), 0);
  try {
    await client.callBuffer("RESTORE", [target, ttl, payload]);
  } catch (error) {
    if (error instanceof Error && error.message.startsWith("BUSYKEY")) throw targetTaken(target);
    throw error;
  }
  return client.hlen(target);
}

/**
 * Copies a model hash to a new key in one step (COPY: TTL included). Refuses an existing target
 * (CONFLICT) and a source that is not a hash (INVALID). Returns how many fields the clone holds.
 */
export async function cloneModel(
  connectionId: string,
  source: Buffer,
  target: Buffer,
): Promise<{ fields: number }> {
  if (source.equals(target)) throw new AppError("INVALID", "A clone needs a name different from its source.");
  return onConnection(connectionId, async (client) => {
    let raw: unknown;
    try {
      raw = await runScript(client, CLONE_HASH, [source, target], []);
    } catch (error) {
      const crossSlot = error instanceof Error && error.message.startsWith("CROSSSLOT");
      if (client instanceof Cluster && crossSlot) {
        return { fields: await cloneAcrossSlots(client, source, target) };
      }
      throw error;
    }
    const reply = parseReply(raw);
    if (reply.tag === "exists") throw targetTaken(target);
    if (reply.tag !== "ok") throw refusal(reply, source);
    return { fields: Number(reply.rest[0]) };
  });
}

// `model:<name>:v<N>`, read over latin1 so every byte is one character and the name stays exact.
const VERSIONED_KEY = /^model:([\s\S]*):v(\d{1,9})$/;
const SCAN_COUNT = 1_000;
/** SCAN calls, over all nodes, spent looking for a model's versions. */
const SCAN_BUDGET = 200;
const EXISTS_TRIES = 50;

function versionedKey(name: string, version: number): Buffer {
  return Buffer.from(`model:${name}:v${version}`, "latin1");
}

/** The highest version of `name` seen within the scan budget (at least `floor`). */
async function highestVersion(client: RedisClient, name: string, floor: number): Promise<number> {
  // escapeGlob only touches ASCII, so it is safe on the latin1 view of any bytes.
  const pattern = Buffer.from(`model:${escapeGlob(name)}:v*`, "latin1");
  let highest = floor;
  let calls = 0;
  for (const node of dataNodes(client)) {
    if (calls >= SCAN_BUDGET) break;
    let cursor = "0";
    do {
      const reply = await node.callBuffer("SCAN", [cursor, "MATCH", pattern, "COUNT", SCAN_COUNT]);
      const [next, keys] = Array.isArray(reply) ? (reply as [Buffer, Buffer[]]) : [Buffer.from("0"), []];
      cursor = next.toString();
      for (const found of keys) {
        const match = VERSIONED_KEY.exec(found.toString("latin1"));
        if (match?.[1] === name) highest = Math.max(highest, Number(match[2]));
      }
      calls += 1;
    } while (cursor !== "0" && calls < SCAN_BUDGET);
  }
  return highest;
}

/**
 * For `model:<name>:v<N>`, the next version's key: one above the highest existing version.
 * Null when the key is not versioned that way (the user types a name instead). The scan is
 * bounded; the key returned is checked to be free, and cloneModel refuses a taken one anyway.
 */
export async function nextVersionKey(connectionId: string, source: Buffer): Promise<Buffer | null> {
  const match = VERSIONED_KEY.exec(source.toString("latin1"));
  if (!match) return null;
  const name = match[1] ?? "";
  return onConnection(connectionId, async (client) => {
    let version = (await highestVersion(client, name, Number(match[2]))) + 1;
    for (let tries = 0; tries < EXISTS_TRIES; tries++, version++) {
      if ((await client.exists(versionedKey(name, version))) === 0) return versionedKey(name, version);
    }
    return null;
  });
}
