import "server-only";
import { groupByHashTag, hashTagOf } from "@/lib/cluster/hash-tags";
import { perKey, sampleKeys } from "@/lib/cluster/sample-keys";
import type { RedisNode } from "@/lib/redis/client";
import { displayBytes, toKeyRef } from "@/lib/redis/keys";

// Why one shard holds more than its share: the slots with the most keys (CLUSTER COUNTKEYSINSLOT
// over the shard's slots, within a budget), a few keys of the fullest slots (CLUSTER
// GETKEYSINSLOT, a handful each) and their hash tag, the largest keys of a sample (MEMORY USAGE),
// and the hash tags that sample shares. Read-only and bounded.

/** Slots counted per request at most, and the time spent counting. */
export const SLOT_BUDGET = 16_384;
const SLOT_TIME_BUDGET_MS = 1_000;
const SLOT_BATCH = 1_024;
const TOP_SLOTS = 5;
const KEYS_PER_SLOT = 5;
/**
 * Keys read from a top slot to find the tag most of them share. GETKEYSINSLOT returns the newest
 * keys first, so a small sample of a slot pinned by a tag can hold only the few untagged keys that
 * hashed there last; a thousand outnumber those (about 61 per slot for a million untagged keys).
 */
const TAG_SAMPLE = 1_000;
const TOP_KEYS = 5;
const TOP_TAGS = 5;
/** A slot holding this many times its even share (and 100 keys or more) pins data to its shard. */
const PINNED_FACTOR = 10;

export interface KeyName {
  /** As text, non-printable bytes escaped. */
  key: string;
  ref: string;
}

export interface SlotLoad {
  slot: number;
  keys: number;
  /** A few of its keys. */
  sample: KeyName[];
  /** The hash tag those keys share, if they all share one. */
  tag: string | null;
}

export interface SizedKey extends KeyName {
  bytes: number;
}

export interface TagShare {
  tag: string;
  keys: number;
  bytes: number;
}

export interface SkewCause {
  /** The shard's index in the view. */
  shard: number;
  slotsChecked: number;
  slotsTotal: number;
  topSlots: SlotLoad[];
  /** The slot and tag holding far more keys than an even spread would: the likely cause. */
  pinned: { slot: number; tag: string | null; keys: number; share: number } | null;
  sampledKeys: number;
  largestKeys: SizedKey[];
  hashTags: TagShare[];
}

function name(key: Buffer): KeyName {
  return { key: displayBytes(key), ref: toKeyRef(key) };
}

async function countSlots(
  node: RedisNode,
  slots: [number, number][],
): Promise<{ slot: number; keys: number }[]> {
  const all = slots.flatMap(([start, end]) => Array.from({ length: end - start + 1 }, (_, i) => start + i));
  const counted: { slot: number; keys: number }[] = [];
  const deadline = Date.now() + SLOT_TIME_BUDGET_MS;
  for (let i = 0; i < Math.min(all.length, SLOT_BUDGET) && Date.now() < deadline; i += SLOT_BATCH) {
    const batch = all.slice(i, Math.min(i + SLOT_BATCH, SLOT_BUDGET));
    const pipeline = node.pipeline();
    for (const slot of batch) pipeline.call("CLUSTER", "COUNTKEYSINSLOT", slot);
    const results = (await pipeline.exec()) ?? [];
    batch.forEach((slot, index) => counted.push({ slot, keys: Number(results[index]?.[1] ?? 0) }));
  }
  return counted;
}

async function slotLoad(node: RedisNode, slot: number, keys: number): Promise<SlotLoad> {
  const read = (await node.callBuffer("CLUSTER", "GETKEYSINSLOT", slot, TAG_SAMPLE)) as Buffer[];
  // The slot's tag is the one most of its keys share: the untagged keys that happen to hash to the
  // same slot must not hide the tag that put thousands there.
  const counts = new Map<string, number>();
  for (const key of read) {
    const tag = hashTagOf(key)?.toString("latin1");
    if (tag) counts.set(tag, (counts.get(tag) ?? 0) + 1);
  }
  const [top, count = 0] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? [];
  const dominant = top !== undefined && count * 2 > read.length ? top : undefined;
  // The keys shown are the tag's own, so they illustrate the cause.
  const shown = dominant ? read.filter((key) => hashTagOf(key)?.toString("latin1") === dominant) : read;
  return {
    slot,
    keys,
    sample: shown.slice(0, KEYS_PER_SLOT).map(name),
    tag: dominant === undefined ? null : displayBytes(Buffer.from(dominant, "latin1")),
  };
}

export async function findSkewCause(
  node: RedisNode,
  shard: number,
  slots: [number, number][] | null,
  shardKeys: number,
): Promise<SkewCause> {
  const slotsTotal = slots?.reduce((sum, [start, end]) => sum + end - start + 1, 0) ?? 0;
  const counted = slots ? await countSlots(node, slots) : [];
  const top = counted
    .filter((entry) => entry.keys > 0)
    .sort((a, b) => b.keys - a.keys)
    .slice(0, TOP_SLOTS);
  const topSlots = await Promise.all(top.map((entry) => slotLoad(node, entry.slot, entry.keys)));
  const evenShare = slotsTotal > 0 ? shardKeys / slotsTotal : 0;
  const first = topSlots[0];
  const pinned =
    first && first.keys >= 100 && first.keys >= PINNED_FACTOR * evenShare
      ? {
          slot: first.slot,
          tag: first.tag,
          keys: first.keys,
          share: shardKeys > 0 ? first.keys / shardKeys : 0,
        }
      : null;
  const keys = await sampleKeys(node);
  const sizes = await perKey(node, keys, (key) => ["MEMORY", "USAGE", key]);
  const sized = keys.map((key, i) => ({ key, bytes: sizes[i] ?? null }));
  const largestKeys = sized
    .filter((entry): entry is { key: Buffer; bytes: number } => entry.bytes !== null)
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, TOP_KEYS)
    .map((entry) => ({ ...name(entry.key), bytes: entry.bytes }));
  const hashTags = groupByHashTag(sized, TOP_TAGS).map((group) => ({
    tag: displayBytes(group.tag),
    keys: group.keys,
    bytes: group.bytes,
  }));
  return {
    shard,
    slotsChecked: counted.length,
    slotsTotal,
    topSlots,
    pinned,
    sampledKeys: keys.length,
    largestKeys,
    hashTags,
  };
}
