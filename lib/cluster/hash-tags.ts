// Hash tags: Redis hashes only the part of a key between the first `{` and the next `}` (when not
// empty), so every key with one tag lands in one slot — on one shard, however many there are.
// Pure, on the key's bytes.

/** The tag's bytes, or null when the whole key is hashed. */
export function hashTagOf(key: Buffer): Buffer | null {
  const open = key.indexOf(0x7b); // {
  if (open < 0) return null;
  const close = key.indexOf(0x7d, open + 1); // }
  if (close < 0 || close === open + 1) return null;
  return key.subarray(open + 1, close);
}

export interface TagGroup {
  tag: Buffer;
  keys: number;
  /** Sum of MEMORY USAGE over the keys sampled (0 when not measured). */
  bytes: number;
}

/** Tags shared by at least two keys of the sample, most keys first. */
export function groupByHashTag(keys: { key: Buffer; bytes: number | null }[], limit: number): TagGroup[] {
  const groups = new Map<string, TagGroup>();
  for (const { key, bytes } of keys) {
    const tag = hashTagOf(key);
    if (!tag) continue;
    const id = tag.toString("latin1");
    const group = groups.get(id) ?? { tag, keys: 0, bytes: 0 };
    group.keys += 1;
    group.bytes += bytes ?? 0;
    groups.set(id, group);
  }
  return [...groups.values()]
    .filter((group) => group.keys > 1)
    .sort((a, b) => b.keys - a.keys || b.bytes - a.bytes)
    .slice(0, limit);
}
