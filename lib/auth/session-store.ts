import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { Role } from "@/lib/auth/roles";
import { announceEnded, rememberedSession, rememberSession } from "@/lib/auth/session-cache";
import { stateKey } from "@/lib/console-state";
import { withState } from "@/lib/redis/gate";
import { defineScript, runScript } from "@/lib/redis/lua";
import { recordOwnCommands, recordOwnReads } from "@/lib/redis/own-reads";

// Sessions live in console state (DESIGN.md contract 9), so ending one ends it at once on every
// console instance. The signed cookie carries the session's id; each request checks it here in
// one round trip (a short Lua script that also notes "last seen", at most every TOUCH_MS).
//
//   <prefix>session:<id>            hash: user, role, pw (fingerprint of the password hash),
//                                   address, since, seen; expires with the session
//   <prefix>sessions                sorted set of ids by expiry: the admin's list, newest first
//   <prefix>sessions:user:<name>    sorted set of one user's ids by expiry: "sign out everywhere"
//
// Keys are written one command at a time (never a multi-key script), so console state may live
// on a cluster.

const TOUCH_MS = 15_000;
const SESSION_ID = /^[A-Za-z0-9_-]{22}$/;

export interface StoredSession {
  id: string;
  username: string;
  role: Role;
  address: string;
  since: number;
  lastSeen: number;
  expiresAt: number;
}

function sessionKey(id: string): string {
  return stateKey("session", id);
}

const indexKey = () => stateKey("sessions");
const userIndexKey = (username: string) => stateKey("sessions", "user", username);

const fingerprints = new Map<string, string>();

/** Changes when the password does, without keeping anything a guess could be checked against. */
export function passwordFingerprint(credential: string): string {
  // Asked on every signed-in request, of the few credentials configured: hashed once each.
  let fingerprint = fingerprints.get(credential);
  if (fingerprint === undefined) {
    fingerprint = createHash("sha256").update(`session:${credential}`).digest("base64url").slice(0, 16);
    if (fingerprints.size >= 1_000) fingerprints.clear();
    fingerprints.set(credential, fingerprint);
  }
  return fingerprint;
}

export function isSessionId(value: unknown): value is string {
  return typeof value === "string" && SESSION_ID.test(value);
}

export async function createStoredSession(input: {
  username: string;
  role: Role;
  credential: string;
  address: string;
  maxAgeMs: number;
}): Promise<string> {
  const id = randomBytes(16).toString("base64url");
  const now = Date.now();
  const expiresAt = now + input.maxAgeMs;
  await withState(async (client) => {
    const key = sessionKey(id);
    await client.hset(key, {
      user: input.username,
      role: input.role,
      pw: passwordFingerprint(input.credential),
      address: input.address,
      since: String(now),
      seen: String(now),
    });
    await Promise.all([
      client.pexpireat(key, expiresAt),
      client.zadd(indexKey(), expiresAt, id),
      client.zadd(userIndexKey(input.username), expiresAt, id),
      client.pexpireat(userIndexKey(input.username), expiresAt),
    ]);
  });
  return id;
}

// Reads the session and notes when it was last seen. The write may be refused (out of memory):
// that must not lock everyone out, so it is made under pcall. The fourth element says whether the
// HSET ran: Redis counts the script's HMGET and HSET like any client's, so the console counts them
// as its own (lib/redis/own-reads.ts), or every request would show in ops/s as the application's.
const CHECK = defineScript(`
local v = redis.call('HMGET', KEYS[1], 'user', 'role', 'pw', 'seen')
if not v[1] then return false end
local now = tonumber(ARGV[1])
local touched = 0
if now - (tonumber(v[4]) or 0) >= tonumber(ARGV[2]) then
  pcall(redis.call, 'HSET', KEYS[1], 'seen', ARGV[1])
  touched = 1
end
return {v[1], v[2], v[3], touched}
`);

export interface SessionFacts {
  username: string;
  role: string;
  fingerprint: string;
}

/** What console state said of session `id` a moment ago, without asking again; else undefined. */
export function rememberedStoredSession(id: string): SessionFacts | undefined {
  return isSessionId(id) ? rememberedSession<SessionFacts>(id) : undefined;
}

/**
 * The session's facts, or null when it has ended. Unreachable console state is an error, not "no
 * session". Facts checked a moment ago by this process are used again while no end was announced
 * (lib/auth/session-cache.ts).
 */
export async function readStoredSession(id: string): Promise<SessionFacts | null> {
  if (!isSessionId(id)) return null;
  const remembered = rememberedStoredSession(id);
  if (remembered) return remembered;
  const askedAt = Date.now();
  const facts = await checkStoredSession(id);
  if (facts) rememberSession(id, facts, askedAt);
  return facts;
}

async function checkStoredSession(id: string): Promise<SessionFacts | null> {
  return withState(async (client) => {
    const reply = (await runScript(
      client,
      CHECK,
      [Buffer.from(sessionKey(id))],
      [String(Date.now()), String(TOUCH_MS)],
    )) as [Buffer, Buffer, Buffer, number] | null;
    recordOwnReads(client, reply ? { hits: 1, misses: 0 } : { hits: 0, misses: 1 });
    recordOwnCommands(client, reply?.[3] === 1 ? { hmget: 1, hset: 1 } : { hmget: 1 });
    if (!reply) return null;
    const [username, role, fingerprint] = [reply[0], reply[1], reply[2]].map((part) => part.toString("utf8"));
    return { username: username ?? "", role: role ?? "", fingerprint: fingerprint ?? "" };
  });
}

/** Ends one session; answers the user it belonged to (null when it had already ended). */
export async function endStoredSession(id: string): Promise<string | null> {
  if (!isSessionId(id)) return null;
  return withState(async (client) => {
    const key = sessionKey(id);
    const username = await client.hget(key, "user");
    await Promise.all([
      client.unlink(key),
      client.zrem(indexKey(), id),
      username ? client.zrem(userIndexKey(username), id) : Promise.resolve(0),
    ]);
    await announceEnded([id]);
    return username;
  });
}

const END_BATCH = 200;

/** Ends every session of a user (or all but one); answers how many ended. */
export async function endStoredSessionsOf(username: string, keep?: string): Promise<number> {
  return withState(async (client) => {
    let ended = 0;
    const userKey = userIndexKey(username);
    await client.zremrangebyscore(userKey, "-inf", String(Date.now()));
    for (;;) {
      const ids = (await client.zrange(userKey, "0", String(END_BATCH - 1))).filter((id) => id !== keep);
      if (ids.length === 0) break;
      await Promise.all([
        client.unlink(...ids.map(sessionKey)),
        client.zrem(indexKey(), ...ids),
        client.zrem(userKey, ...ids),
      ]);
      await announceEnded(ids);
      ended += ids.length;
      if (ids.length < END_BATCH - (keep ? 1 : 0)) break;
    }
    return ended;
  });
}

export interface SessionPage {
  sessions: StoredSession[];
  /** Pass as `offset` for the next page; null at the end. */
  nextOffset: number | null;
  total: number;
}

/** Active sessions, newest first (the latest to expire), `count` at a time (bounded: ZRANGE … LIMIT, HMGET each). */
export async function listStoredSessions(
  options: { offset?: number; count?: number } = {},
): Promise<SessionPage> {
  const count = Math.min(Math.max(options.count ?? 50, 1), 200);
  const offset = Math.max(options.offset ?? 0, 0);
  return withState(async (client) => {
    await client.zremrangebyscore(indexKey(), "-inf", String(Date.now()));
    const [rows, total] = await Promise.all([
      client.zrevrange(indexKey(), offset, offset + count - 1, "WITHSCORES"),
      client.zcard(indexKey()),
    ]);
    const page: [string, number][] = [];
    for (let i = 0; i + 1 < rows.length; i += 2) page.push([rows[i]!, Number(rows[i + 1])]);
    const facts = await Promise.all(
      page.map(([id]) => client.hmget(sessionKey(id), "user", "role", "address", "since", "seen")),
    );
    const sessions = page.flatMap(([id, expiresAt], i) => {
      const [user, role, address, since, seen] = facts[i]!;
      if (!user) return [];
      return [
        {
          id,
          username: user,
          role: role as Role,
          address: address ?? "unknown",
          since: Number(since),
          lastSeen: Number(seen),
          expiresAt,
        },
      ];
    });
    return { sessions, nextOffset: offset + count < total ? offset + count : null, total };
  });
}
