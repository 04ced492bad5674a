import "server-only";
import { AppError } from "@/lib/errors";
import { DIGEST_PATTERN, digestOf } from "@/lib/models/digest";
import { bytesOrNull, parseReply, quoted, refusal } from "@/lib/models/scripted-write";
import type { Conflict } from "@/lib/models/types";
import { withClient } from "@/lib/redis/gate";
import { displayBytes, toKeyRef } from "@/lib/redis/keys";
import { defineScript, runScript } from "@/lib/redis/lua";
import { describeValue } from "@/lib/values/describe";

// The write side of models (DESIGN.md contract 3: no lost updates). Each write is one Lua script:
// its checks and its effects run with no other command in between, so a stale edit is refused
// whether the other writer was the console or a script doing HSET.

/** Most changes one call applies; the script holds Redis while it runs, so a bigger edit is split. */
export const MAX_CHANGES = 10_000;

/**
 * One field of an edit, as bytes: applied only if the field still holds the value digested as
 * `expected` (null: the field must not exist yet). `value` null deletes the field. The browser
 * sends it as refs (FieldChange in lib/models/types); lib/validation/models decodes them.
 */
export interface FieldWrite {
  field: Buffer;
  expected: string | null;
  value: Buffer | null;
}

/** A field before and after a write, exact bytes; null = absent. History records these. */
export interface AppliedChange {
  field: Buffer;
  old: Buffer | null;
  new: Buffer | null;
}

export type ApplyResult = { ok: true; applied: AppliedChange[] } | { ok: false; conflicts: Conflict[] };

export type RenameResult =
  { ok: true; value: Buffer; applied: AppliedChange[] } | { ok: false; conflicts: Conflict[] };

/**
 * Compare-and-set of many fields of one hash, all or nothing.
 * KEYS[1] the hash. ARGV[1] "1" when the hash must already exist. Then four arguments per change:
 * field, expected digest ("" = must be absent), "set" or "del", new value ("" for del).
 * Replies {"conflict", index, current, …} (0-based change index) or {"ok", old, old, …}.
 */
/** Exported for the bench's floors (bench/floor), which must send exactly this script. */
export const APPLY_CHANGES = defineScript(`
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
-- Every check passed: only now is anything written, and only what differs (a value saved
-- unchanged touches nothing, so WATCHers and keyspace listeners see no write).
for i = 2, #ARGV, 4 do
  local current = olds[(i - 2) / 4 + 2]
  if ARGV[i + 2] == "set" then
    if current ~= ARGV[i + 3] then redis.call("HSET", key, ARGV[i], ARGV[i + 3]) end
  elseif current then
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
const RENAME_FIELD = defineScript(`
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

export function conflictOf(field: Buffer, expected: string | null, current: Buffer | null): Conflict {
  return {
    field: toKeyRef(field),
    fieldName: displayBytes(field),
    expected,
    current: current ? describeValue(current) : null,
    currentDigest: current ? digestOf(current) : null,
  };
}

function checkChanges(changes: FieldWrite[]): void {
  if (changes.length > MAX_CHANGES) {
    throw AppError.of("INVALID", "tooManyChanges", { max: MAX_CHANGES, count: changes.length });
  }
  const seen = new Set<string>();
  for (const { field, expected } of changes) {
    if (expected !== null && !DIGEST_PATTERN.test(expected)) {
      throw AppError.of("INVALID", "editWithoutBase", { field: quoted(field) });
    }
    const id = field.toString("latin1");
    if (seen.has(id)) {
      throw AppError.of("INVALID", "fieldChangedTwice", { field: quoted(field) });
    }
    seen.add(id);
  }
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
export function applyChanges(
  connectionId: string,
  key: Buffer,
  changes: FieldWrite[],
  opts: { requireHash?: boolean } = {},
): Promise<ApplyResult> {
  // withClient's promise itself, with no async layer around it (bench/RESULTS.md).
  try {
    checkChanges(changes);
  } catch (error) {
    return Promise.reject(error as Error);
  }
  if (changes.length === 0) return Promise.resolve({ ok: true, applied: [] });
  const args: (Buffer | string)[] = [opts.requireHash ? "1" : "0"];
  for (const change of changes) {
    args.push(change.field, change.expected ?? "", change.value ? "set" : "del", change.value ?? "");
  }
  return withClient(connectionId, async (client) => {
    const reply = parseReply(await runScript(client, APPLY_CHANGES, [key], args));
    if (reply.tag === "conflict") {
      const conflicts: Conflict[] = [];
      for (let i = 0; i + 1 < reply.rest.length; i += 2) {
        const change = changes[Number(reply.rest[i])];
        if (change) conflicts.push(conflictOf(change.field, change.expected, bytesOrNull(reply.rest[i + 1])));
      }
      return { ok: false, conflicts };
    }
    if (reply.tag !== "ok") throw refusal(reply, key);
    const applied = changes
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
  if (from.equals(to)) throw AppError.of("INVALID", "sameFieldName");
  return withClient(connectionId, async (client) => {
    const reply = parseReply(await runScript(client, RENAME_FIELD, [key], [from, to, expected]));
    if (reply.tag === "conflict") {
      return { ok: false, conflicts: [conflictOf(from, expected, bytesOrNull(reply.rest[0]))] };
    }
    if (reply.tag === "exists") {
      throw AppError.of("CONFLICT", "fieldExists", { field: quoted(to) });
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
