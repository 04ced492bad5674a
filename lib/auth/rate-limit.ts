import "server-only";
import { randomUUID } from "node:crypto";
import { stateKey } from "@/lib/console-state";
import { withState } from "@/lib/redis/gate";

// Sign-in attempts are limited per username and per client address with a sliding window, counted
// in console state so every console instance behind a load balancer counts the same failures:
// one sorted set per username and per address, a failure's time as its score, expiring with the
// window. Each key is handled on its own (a cluster may hold them on different nodes).

const WINDOW_MS = 15 * 60 * 1000;
export const LIMITS = { user: 5, address: 20 } as const;

function userKey(username: string): string {
  return stateKey("signin", "user", username.toLowerCase());
}

function addressKey(address: string): string {
  return stateKey("signin", "address", address);
}

/** A transaction's replies; the first command error thrown (to be mapped like any other). */
function repliesOf(results: [Error | null, unknown][] | null): unknown[] {
  if (!results) throw new Error("Connection is closed.");
  const failed = results.find(([error]) => error);
  if (failed?.[0]) throw failed[0];
  return results.map(([, reply]) => reply);
}

/** Milliseconds until another attempt is allowed, or 0 when it is allowed now. */
export async function signInBlockedFor(username: string, address: string, now = Date.now()): Promise<number> {
  const limits = [
    [userKey(username), LIMITS.user],
    [addressKey(address), LIMITS.address],
  ] as const;
  const waits = await withState((state) =>
    Promise.all(
      limits.map(async ([key, limit]) => {
        // The limit-th newest failure still in the window decides when the next attempt may come.
        const [, oldestThatCounts] = repliesOf(
          await state
            .multi()
            .zremrangebyscore(key, "-inf", now - WINDOW_MS)
            .zrange(key, String(-limit), String(-limit), "WITHSCORES")
            .exec(),
        );
        const at = (oldestThatCounts as string[] | undefined)?.[1];
        return at === undefined ? 0 : Math.max(0, Number(at) + WINDOW_MS - now);
      }),
    ),
  );
  return Math.max(...waits);
}

export async function recordFailedSignIn(username: string, address: string, now = Date.now()): Promise<void> {
  await withState((state) =>
    Promise.all(
      [userKey(username), addressKey(address)].map((key) =>
        state.multi().zadd(key, now, `${now}:${randomUUID()}`).pexpire(key, WINDOW_MS).exec().then(repliesOf),
      ),
    ),
  );
}

export async function clearFailedSignIns(username: string): Promise<void> {
  await withState((state) => state.del(userKey(username)));
}
