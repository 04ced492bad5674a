import "server-only";
import { AppError } from "@/lib/errors";
import { bytesOrNull, parseReply, quoted, refusal } from "@/lib/models/scripted-write";
import { isCluster, type RedisClient } from "@/lib/redis/client";
import { withClient } from "@/lib/redis/gate";
import { escapeGlob } from "@/lib/redis/keys";
import { defineScript, runScript } from "@/lib/redis/lua";
import { dataNodes } from "@/lib/redis/registry";

// Cloning a model hash to a new key, all or nothing and never over an existing key, and finding
// the next free `model:<name>:v<N>` to clone to.

/** KEYS[1] source, KEYS[2] target. COPY without REPLACE never overwrites; replies {"ok", fields}. */
const CLONE_HASH = defineScript(`
local kind = redis.call("TYPE", KEYS[1])["ok"]
if kind == "none" then return {"missing"} end
if kind ~= "hash" then return {"type", kind} end
if redis.call("COPY", KEYS[1], KEYS[2]) == 0 then return {"exists"} end
return {"ok", redis.call("HLEN", KEYS[2])}
`);

/** For a cluster, where source and target may live on different nodes: a snapshot to RESTORE. */
const DUMP_HASH = defineScript(`
local kind = redis.call("TYPE", KEYS[1])["ok"]
if kind == "none" then return {"missing"} end
if kind ~= "hash" then return {"type", kind} end
return {"ok", redis.call("DUMP", KEYS[1]), redis.call("PTTL", KEYS[1])}
`);

function targetTaken(target: Buffer): AppError {
  return AppError.of("CONFLICT", "cloneTargetExists", { key: quoted(target) });
}

/** Snapshot + RESTORE without REPLACE: still all-or-nothing, and it never overwrites the target. */
async function cloneAcrossSlots(client: RedisClient, source: Buffer, target: Buffer): Promise<number> {
  const reply = parseReply(await runScript(client, DUMP_HASH, [source], [], { readOnly: true }));
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
  if (source.equals(target)) throw AppError.of("INVALID", "cloneSameName");
  return withClient(connectionId, async (client) => {
    let raw: unknown;
    try {
      raw = await runScript(client, CLONE_HASH, [source, target], []);
    } catch (error) {
      const crossSlot = error instanceof Error && error.message.startsWith("CROSSSLOT");
      if (isCluster(client) && crossSlot) {
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
  return withClient(connectionId, async (client) => {
    let version = (await highestVersion(client, name, Number(match[2]))) + 1;
    for (let tries = 0; tries < EXISTS_TRIES; tries++, version++) {
      if ((await client.exists(versionedKey(name, version))) === 0) return versionedKey(name, version);
    }
    return null;
  });
}
