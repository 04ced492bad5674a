import "server-only";
import { randomInt } from "node:crypto";
import { stateKey } from "@/lib/console-state";
import { withState } from "@/lib/redis/gate";
import { recordOwnCommands } from "@/lib/redis/own-reads";

// Which console instance reads INFO for a connection (DESIGN.md: several instances share one
// sampler). The lease is `SET metrics:lease:<conn> <token> NX PX <ms>`, renewed by its holder on
// every tick; when the holder stops, it deletes the lease, and when it dies, the lease expires.
//
// The holder compares the owner with `INCRBY key 0`, not GET: a GET (or any read) counts as a
// keyspace hit on the Redis being charted — one phantom hit a second, enough to show an idle
// server a 100% hit rate — while INCRBY looks the key up for writing, which Redis does not count.
// That is why an instance's token is an integer. INCRBY on a missing key creates it as "0"; the
// scripts delete that at once, inside the same atomic call.

// Each script says which commands it ran (INCRBY, then PEXPIRE or DEL or neither): Redis counts them
// in commandstats, so the console counts them as its own (lib/redis/own-reads.ts) — else ops/s
// would show two commands a second and INCRBY among the top commands of an idle server.
const RENEW = `
local owner = redis.call("INCRBY", KEYS[1], 0)
if owner == tonumber(ARGV[1]) then return redis.call("PEXPIRE", KEYS[1], ARGV[2]) end
if owner == 0 then redis.call("DEL", KEYS[1]) return -1 end
return 0`;

const RELEASE = `
local owner = redis.call("INCRBY", KEYS[1], 0)
if owner == tonumber(ARGV[1]) or owner == 0 then redis.call("DEL", KEYS[1]) return 1 end
return 0`;

export function leaseKey(connectionId: string): string {
  return stateKey("metrics", "lease", connectionId);
}

/** A fresh instance token: a positive integer well inside Lua's exact-integer range (2^53). */
export function newInstanceToken(): number {
  return randomInt(1, 2 ** 48);
}

const globalToken = globalThis as unknown as { __consoleInstanceToken?: number };

/** This console process's lease token, shared by its samplers. */
export function processToken(): number {
  globalToken.__consoleInstanceToken ??= newInstanceToken();
  return globalToken.__consoleInstanceToken;
}

/** Takes the lease if nobody holds it. */
export async function acquireLease(connectionId: string, token: number, ttlMs: number): Promise<boolean> {
  const reply = await withState((state) =>
    state.set(leaseKey(connectionId), String(token), "PX", ttlMs, "NX"),
  );
  return reply === "OK";
}

/** Extends the lease if `token` still holds it; false when it expired or another instance took it. */
export async function renewLease(connectionId: string, token: number, ttlMs: number): Promise<boolean> {
  const reply = await withState(async (state) => {
    const ran = await state.eval(RENEW, 1, leaseKey(connectionId), String(token), String(ttlMs));
    recordOwnCommands(
      state,
      ran === -1 ? { incrby: 1, del: 1 } : ran === 1 ? { incrby: 1, pexpire: 1 } : { incrby: 1 },
    );
    return ran;
  });
  return reply === 1;
}

/** Gives the lease up now, so another instance takes over on its next tick instead of after expiry. */
export async function releaseLease(connectionId: string, token: number): Promise<void> {
  await withState(async (state) => {
    const ran = await state.eval(RELEASE, 1, leaseKey(connectionId), String(token));
    recordOwnCommands(state, ran === 1 ? { incrby: 1, del: 1 } : { incrby: 1 });
  });
}
