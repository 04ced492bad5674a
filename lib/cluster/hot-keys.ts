import "server-only";
import type { KeyName } from "@/lib/cluster/cause";
import { perKey, scanFrom } from "@/lib/cluster/sample-keys";
import type { RedisNode } from "@/lib/redis/client";
import { displayBytes, toKeyRef } from "@/lib/redis/keys";

// The keys read most, per shard: OBJECT FREQ (the LFU counter Redis keeps per key) over a bounded
// sample of each master's keys. Redis keeps that counter only under an LFU eviction policy; under
// any other the page says how to turn it on instead of showing an empty list. Never MONITOR.
//
// A sample of a big shard finds a hot key only by luck, so each read goes on from where the last
// one stopped (a SCAN cursor kept per master) and keeps the hottest keys seen so far to check
// again: over successive reads the whole keyspace passes by, at a bounded cost each time.

const TOP_HOT_KEYS = 10;
/** Keys scanned per master per read: OBJECT FREQ is O(1), so a wider sample than for sizes costs little. */
export const HOT_KEY_SAMPLE = 5_000;
const HOT_KEY_SCAN_CALLS = 12;
/** The hottest keys seen so far, per master, checked again at the next read. */
const CANDIDATES_KEPT = 50;

interface ScanState {
  cursor: string;
  candidates: Buffer[];
}

const globalHot = globalThis as unknown as { __consoleHotKeyScans?: Map<string, ScanState> };

function scanState(address: string): ScanState {
  globalHot.__consoleHotKeyScans ??= new Map();
  let state = globalHot.__consoleHotKeyScans.get(address);
  if (!state) globalHot.__consoleHotKeyScans.set(address, (state = { cursor: "0", candidates: [] }));
  return state;
}

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
  nodes: { shard: number; node: RedisNode; address: string }[],
  policy: string,
): Promise<HotKeys> {
  if (!isLfuPolicy(policy)) return { lfu: false, policy };
  const shards = await Promise.all(
    nodes.map(async ({ shard, node, address }) => {
      const state = scanState(address);
      const scanned = await scanFrom(node, state.cursor, HOT_KEY_SAMPLE, HOT_KEY_SCAN_CALLS);
      state.cursor = scanned.cursor;
      const seen = new Set(scanned.keys.map((key) => key.toString("latin1")));
      const keys = [...scanned.keys, ...state.candidates.filter((key) => !seen.has(key.toString("latin1")))];
      const freqs = await perKey(node, keys, (key) => ["OBJECT", "FREQ", key]);
      const ranked = keys
        .map((key, i) => ({ key, freq: freqs[i] ?? null }))
        .filter((entry): entry is { key: Buffer; freq: number } => entry.freq !== null && entry.freq > 0)
        .sort((a, b) => b.freq - a.freq);
      state.candidates = ranked.slice(0, CANDIDATES_KEPT).map((entry) => entry.key);
      return {
        shard,
        sampled: keys.length,
        keys: ranked
          .slice(0, TOP_HOT_KEYS)
          .map(({ key, freq }) => ({ key: displayBytes(key), ref: toKeyRef(key), freq })),
      };
    }),
  );
  return { lfu: true, policy, shards };
}
