import { prefixPattern } from "@/lib/cache/glob";
import { displayBytes, toKeyRef } from "@/lib/redis/keys";

// The Cache page's namespaces from a sample of keys: one level of prefixes up to the delimiter,
// with key count, memory, TTL distribution and the largest entries. Each sampled key carries a
// weight (how many keys it stands for), so estimates scale from the sample. Pure.

export const TTL_BUCKETS = ["none", "underMinute", "underHour", "underDay", "longer"] as const;
export type TtlBucket = (typeof TTL_BUCKETS)[number];
export type TtlDistribution = Record<TtlBucket, number>;

export const LARGEST_ENTRIES = 5;

export function ttlBucket(ttlSeconds: number | null): TtlBucket {
  if (ttlSeconds === null) return "none";
  if (ttlSeconds < 60) return "underMinute";
  if (ttlSeconds < 3_600) return "underHour";
  if (ttlSeconds < 86_400) return "underDay";
  return "longer";
}

export interface SampledKey {
  key: Buffer;
  type: string;
  ttlSeconds: number | null;
  memoryBytes: number | null;
  /** Keys this one stands for: 1 when its node was scanned whole, DBSIZE / examined otherwise. */
  weight: number;
}

export interface LargestEntry {
  ref: string;
  key: string;
  type: string;
  memoryBytes: number;
  ttlSeconds: number | null;
}

export interface NamespaceStats {
  /** Distinct keys the sample saw. */
  keysSeen: number;
  /** Keys in the namespace, scaled from the sample; equals keysSeen when nothing was sampled. */
  estimatedKeys: number;
  /** MEMORY USAGE summed over the keys seen; null when the server would not tell. */
  memoryBytesSeen: number | null;
  estimatedMemoryBytes: number | null;
  /** How many of the keys seen fall in each TTL bucket. */
  ttl: TtlDistribution;
  /** The biggest keys seen, by MEMORY USAGE, largest first. */
  largest: LargestEntry[];
}

export interface NamespaceSummary extends NamespaceStats {
  /** Display text of the name between the parent prefix and the delimiter (may be empty: `a::b`). */
  name: string;
  /** Display text of the whole prefix, delimiter included: pass it back as `prefix` to go one level down. */
  prefix: string;
  /** The typed pattern that flushes the namespace (`result:*`). */
  pattern: string;
}

/** The name between `prefix` and the next delimiter, or null for a key directly at this level. */
export function namespaceName(key: Buffer, prefix: Buffer, delimiter: Buffer): Buffer | null {
  const end = key.indexOf(delimiter, prefix.length);
  return end === -1 ? null : key.subarray(prefix.length, end);
}

class StatsBuilder {
  private keysSeen = 0;
  private estimatedKeys = 0;
  private memorySeen: number | null = null;
  private estimatedMemory = 0;
  private readonly ttl: TtlDistribution = { none: 0, underMinute: 0, underHour: 0, underDay: 0, longer: 0 };
  private readonly largest: LargestEntry[] = [];

  add(sample: SampledKey): void {
    this.keysSeen += 1;
    this.estimatedKeys += sample.weight;
    this.ttl[ttlBucket(sample.ttlSeconds)] += 1;
    if (sample.memoryBytes === null) return;
    this.memorySeen = (this.memorySeen ?? 0) + sample.memoryBytes;
    this.estimatedMemory += sample.memoryBytes * sample.weight;
    this.keepIfLargest(sample, sample.memoryBytes);
  }

  private keepIfLargest(sample: SampledKey, memoryBytes: number): void {
    const smallest = this.largest[LARGEST_ENTRIES - 1];
    if (smallest && smallest.memoryBytes >= memoryBytes) return;
    const entry: LargestEntry = {
      ref: toKeyRef(sample.key),
      key: displayBytes(sample.key),
      type: sample.type,
      memoryBytes,
      ttlSeconds: sample.ttlSeconds,
    };
    const at = this.largest.findIndex((other) => other.memoryBytes < memoryBytes);
    this.largest.splice(at === -1 ? this.largest.length : at, 0, entry);
    this.largest.length = Math.min(this.largest.length, LARGEST_ENTRIES);
  }

  build(): NamespaceStats {
    return {
      keysSeen: this.keysSeen,
      estimatedKeys: Math.round(this.estimatedKeys),
      memoryBytesSeen: this.memorySeen,
      estimatedMemoryBytes: this.memorySeen === null ? null : Math.round(this.estimatedMemory),
      ttl: { ...this.ttl },
      largest: [...this.largest],
    };
  }
}

export interface NamespaceGroups {
  /** Largest first (estimated keys), then by name. */
  namespaces: NamespaceSummary[];
  /** Keys directly at this level, with no delimiter after the prefix; null when there are none. */
  direct: NamespaceStats | null;
}

export function groupNamespaces(keys: SampledKey[], prefix: Buffer, delimiter: Buffer): NamespaceGroups {
  const groups = new Map<string, { name: Buffer; stats: StatsBuilder }>();
  let direct: StatsBuilder | null = null;
  for (const sample of keys) {
    const name = namespaceName(sample.key, prefix, delimiter);
    if (name === null) {
      direct ??= new StatsBuilder();
      direct.add(sample);
      continue;
    }
    const id = name.toString("latin1");
    let group = groups.get(id);
    if (!group) {
      group = { name: Buffer.from(name), stats: new StatsBuilder() };
      groups.set(id, group);
    }
    group.stats.add(sample);
  }
  const namespaces = [...groups.values()].map(({ name, stats }) => {
    const whole = Buffer.concat([prefix, name, delimiter]);
    return {
      name: displayBytes(name),
      prefix: displayBytes(whole),
      pattern: prefixPattern(whole),
      ...stats.build(),
    };
  });
  namespaces.sort(
    (a, b) => b.estimatedKeys - a.estimatedKeys || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  return { namespaces, direct: direct?.build() ?? null };
}
