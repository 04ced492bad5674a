import "server-only";

// Sign-in attempts are limited per username and per client address with a sliding window.
// Kept in process memory: each console instance limits on its own, which bounds guessing to
// (instances × limit) per window — noted in README.

const WINDOW_MS = 15 * 60 * 1000;
export const LIMITS = { user: 5, address: 20 } as const;

type Bucket = Map<string, number[]>;
const globalBuckets = globalThis as unknown as {
  __consoleSignInAttempts?: { user: Bucket; address: Bucket };
};

function buckets() {
  globalBuckets.__consoleSignInAttempts ??= { user: new Map(), address: new Map() };
  return globalBuckets.__consoleSignInAttempts;
}

function recent(bucket: Bucket, key: string, now: number): number[] {
  const kept = (bucket.get(key) ?? []).filter((t) => now - t < WINDOW_MS);
  if (kept.length) bucket.set(key, kept);
  else bucket.delete(key);
  return kept;
}

/** Milliseconds until another attempt is allowed, or 0 when it is allowed now. */
export function signInBlockedFor(username: string, address: string, now = Date.now()): number {
  const { user, address: byAddress } = buckets();
  let wait = 0;
  for (const [bucket, key, limit] of [
    [user, username.toLowerCase(), LIMITS.user],
    [byAddress, address, LIMITS.address],
  ] as const) {
    const times = recent(bucket, key, now);
    if (times.length >= limit) wait = Math.max(wait, times[times.length - limit]! + WINDOW_MS - now);
  }
  return wait;
}

export function recordFailedSignIn(username: string, address: string, now = Date.now()): void {
  const { user, address: byAddress } = buckets();
  user.set(username.toLowerCase(), [...recent(user, username.toLowerCase(), now), now]);
  byAddress.set(address, [...recent(byAddress, address, now), now]);
}

export function clearFailedSignIns(username: string): void {
  buckets().user.delete(username.toLowerCase());
}
