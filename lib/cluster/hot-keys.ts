import "server-only";
import type { KeyName } from "@/lib/cluster/cause";
import { perKey, sampleKeys } from "@/lib/cluster/sample-keys";
import type { RedisNode } from "@/lib/redis/client";
import { displayBytes, toKeyRef } from "@/lib/redis/keys";

// The keys read most, per shard: OBJECT FREQ (the LFU counter Redis keeps per key) over a bounded
// sample of each master's keys. Redis keeps that counter only under an LFU eviction policy; under
// any other the page says how to turn it on instead of showing an empty list. Never MONITOR.

const TOP_HOT_KEYS = 10;
/** Keys sampled per master: OBJECT FREQ is O(1), so a wider sample than for sizes costs little. */
export const HOT_KEY_SAMPLE = 2_000;

export interface HotKey extends KeyName {
  /** The logarithmic LFU counter: 0–255, higher is read more often, decaying over time. */
  freq: number;
}

export type HotKeys =
  | { lfu: true; policy: string; shards: { shard: number; sampled: number; keys: HotKey[] }[] }
  | { lfu: false; policy: string };

export function isLfuPolicy(policy: string): boolean {
  return policy.endsWith("-lfu");
}

export async function readHotKeys(
  nodes: { shard: number; node: RedisNode }[],
  policy: string,
): Promise<HotKeys> {
  if (!isLfuPolicy(policy)) return { lfu: false, policy };
  const shards = await Promise.all(
    nodes.map(async ({ shard, node }) => {
      const keys = await sampleKeys(node, HOT_KEY_SAMPLE);
      const freqs = await perKey(node, keys, (key) => ["OBJECT", "FREQ", key]);
      const ranked = keys
        .map((key, i) => ({ key, freq: freqs[i] ?? null }))
        .filter((entry): entry is { key: Buffer; freq: number } => entry.freq !== null && entry.freq > 0)
        .sort((a, b) => b.freq - a.freq)
        .slice(0, TOP_HOT_KEYS)
        .map(({ key, freq }) => ({ key: displayBytes(key), ref: toKeyRef(key), freq }));
      return { shard, sampled: keys.length, keys: ranked };
    }),
  );
  return { lfu: true, policy, shards };
}
