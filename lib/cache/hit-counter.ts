import type { Cluster, Redis } from "ioredis";

// Redis counts keyspace hits and misses for the whole server, never per prefix, so an application
// that wants a hit rate per cache namespace counts its own lookups. The convention the console
// reads (README, "Per-namespace hit rate"), one hash per minute in the data Redis:
//
//   key     <prefix>hits:<minute>        prefix "__console:", minute = floor(unix_ms / 60000)
//   fields  <namespace>:hit  <namespace>:miss   (HINCRBY 1 per lookup)
//   expiry  EXPIRE 90000 (25 h) on every write
//
// One key per minute keeps a minute's counters in one slot of a cluster, while successive minutes
// spread over the nodes. This file is for applications and scripts too: ioredis types only, no
// console imports, so it can be copied into a service as it is.

export const DEFAULT_HIT_COUNTER_PREFIX = "__console:";
/** A day of history plus an hour of slack, so a 24-hour chart never loses its oldest minute early. */
export const HIT_COUNTER_TTL_SECONDS = 25 * 60 * 60;
export const MINUTE_MS = 60_000;

export type HitCounterClient = Redis | Cluster;

export interface HitCounterOptions {
  /** When the lookup happened, in Unix milliseconds (default: now). */
  now?: number;
  /** The console's state prefix, if it was changed with CONSOLE_STATE_PREFIX. */
  prefix?: string;
}

export function epochMinute(unixMs: number): number {
  return Math.floor(unixMs / MINUTE_MS);
}

/** What every counter key starts with: `__console:hits:`. */
export function hitCounterKeyPrefix(prefix = DEFAULT_HIT_COUNTER_PREFIX): string {
  return `${prefix}hits:`;
}

export function hitCounterKey(minute: number, prefix = DEFAULT_HIT_COUNTER_PREFIX): string {
  return `${hitCounterKeyPrefix(prefix)}${minute}`;
}

export function hitCounterField(namespace: string, outcome: "hit" | "miss"): string {
  return `${namespace}:${outcome}`;
}

/** Counts one cache lookup of `namespace` as a hit or a miss: HINCRBY + EXPIRE in one round trip. */
export async function recordLookup(
  redis: HitCounterClient,
  namespace: string,
  hit: boolean,
  options: HitCounterOptions = {},
): Promise<void> {
  if (namespace === "") throw new Error("recordLookup needs a namespace, like result or cache:embeddings");
  const key = hitCounterKey(epochMinute(options.now ?? Date.now()), options.prefix);
  // Both commands name the same key, so a cluster pipeline stays on one slot.
  const replies = await redis
    .pipeline()
    .hincrby(key, hitCounterField(namespace, hit ? "hit" : "miss"), 1)
    .expire(key, HIT_COUNTER_TTL_SECONDS)
    .exec();
  const failed = replies?.find(([error]) => error);
  if (failed?.[0]) throw failed[0];
}

/**
 * The classic cached calculation, counted: GET `key`; on a miss run `compute` and SET the result
 * with a TTL. Each lookup is recorded under `namespace`; the value is returned either way.
 */
export async function cached(
  redis: HitCounterClient,
  key: string,
  namespace: string,
  ttlSeconds: number,
  compute: () => string | Promise<string>,
  options: HitCounterOptions = {},
): Promise<string> {
  const value = await redis.get(key);
  if (value !== null) {
    await recordLookup(redis, namespace, true, options);
    return value;
  }
  const fresh = await compute();
  await Promise.all([
    redis.set(key, fresh, "EX", ttlSeconds),
    recordLookup(redis, namespace, false, options),
  ]);
  return fresh;
}
