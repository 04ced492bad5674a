import "server-only";
import { databaseLabel } from "@/lib/cache/database";
import { displayGlob } from "@/lib/cache/glob";
import { notify, type Job } from "@/lib/cache/job-registry";
import { sampleNodes, sampleTotals, sampleWeight } from "@/lib/cache/node-scan";
import { BATCH_LIMITS, nextBatchSize, type NodeProgress } from "@/lib/cache/pacing";
import { wholeDatabaseReach, type WholeDatabase } from "@/lib/cache/policy";
import { consoleStateTest } from "@/lib/console-state";
import type { RedisNode } from "@/lib/redis/client";
import { withClient } from "@/lib/redis/gate";
import { displayBytes, toKeyRef } from "@/lib/redis/keys";

// Counting the keys a pattern matches: the dry run before a flush (a budgeted scan, exact when it
// reached the end, else scaled), and the exact count, a background job over the whole keyspace.
// Console-state keys are never counted: a flush skips them.

export const DEFAULT_DRY_RUN_BUDGET = 100_000;
export const SAMPLE_KEYS = 20;

export interface PatternCount {
  pattern: string;
  /** Matching keys: exact unless `estimated`, then scaled from the part scanned. */
  count: number;
  estimated: boolean;
  /** Share of the database the scan looked at, 0…1 (1 when exact). */
  scannedFraction: number;
  examined: number;
  dbSize: number;
  /** Some of the keys that would go, as the console shows keys. */
  sample: { ref: string; key: string }[];
  /**
   * The pattern reaches every user key: flushing it is flushing the database, which takes the admin
   * role and the database's name as confirmation. Decided as the flush decides it (lib/cache/policy).
   */
  matchesEverything: boolean;
  /** Why it does, when it does. */
  wholeDatabase: WholeDatabase | null;
  /** The database's name (`db0 on <connection>`), which confirms a flush that reaches every key. */
  databaseLabel: string;
}

export async function countPattern(
  connectionId: string,
  pattern: Buffer,
  options: { budget?: number } = {},
): Promise<PatternCount> {
  const isConsoleState = consoleStateTest();
  return withClient(connectionId, async (client) => {
    const budget = options.budget ?? DEFAULT_DRY_RUN_BUDGET;
    const [samples, wholeDatabase] = await Promise.all([
      sampleNodes(client, pattern, budget, (key) => !isConsoleState(key)),
      wholeDatabaseReach(connectionId, pattern),
    ]);
    const totals = sampleTotals(samples);
    const estimate = samples.reduce((sum, sample) => sum + sample.keys.length * sampleWeight(sample), 0);
    return {
      pattern: displayGlob(pattern),
      count: Math.round(estimate),
      estimated: totals.sampled,
      scannedFraction: totals.dbSize === 0 ? 1 : Math.min(1, totals.examined / totals.dbSize),
      examined: totals.examined,
      dbSize: totals.dbSize,
      sample: samples
        .flatMap((sample) => sample.keys)
        .slice(0, SAMPLE_KEYS)
        .map((key) => ({ ref: toKeyRef(key), key: displayBytes(key) })),
      matchesEverything: wholeDatabase !== null,
      wholeDatabase,
      databaseLabel: databaseLabel(connectionId),
    };
  });
}

/**
 * Distinct keys seen by an exact count. SCAN may return a key twice (when Redis resizes its table
 * meanwhile), so keys are remembered by a 53-bit hash; beyond MAX_REMEMBERED the memory is not
 * worth it and the count is marked not exact.
 */
export class SeenKeys {
  static readonly MAX_REMEMBERED = 1_000_000;
  private readonly hashes = new Set<number>();
  overflowed = false;

  /** Whether the key is new to this count. */
  add(key: Buffer): boolean {
    if (this.overflowed) return true;
    const hash = hash53(key);
    if (this.hashes.has(hash)) return false;
    if (this.hashes.size >= SeenKeys.MAX_REMEMBERED) {
      this.overflowed = true;
      this.hashes.clear();
      return true;
    }
    this.hashes.add(hash);
    return true;
  }
}

/** cyrb53: a fast 53-bit string hash, over bytes. */
export function hash53(bytes: Uint8Array): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (const byte of bytes) {
    h1 = Math.imul(h1 ^ byte, 2654435761);
    h2 = Math.imul(h2 ^ byte, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** One node of an exact count: SCAN MATCH to the end, paced like a flush. */
export async function countNode(
  node: RedisNode,
  pattern: Buffer,
  progress: NodeProgress,
  job: Job,
  seen: SeenKeys,
): Promise<void> {
  const isConsoleState = consoleStateTest();
  let cursor = "0";
  let count: number = BATCH_LIMITS.initial;
  do {
    if (job.stopRequested) return;
    const began = performance.now();
    const [next, found] = (await node.callBuffer("SCAN", cursor, "MATCH", pattern, "COUNT", count)) as [
      Buffer,
      Buffer[],
    ];
    const replyMs = performance.now() - began;
    for (const key of found) if (!isConsoleState(key) && seen.add(key)) job.matched += 1;
    job.exact = !seen.overflowed;
    progress.examined += Math.max(count, found.length);
    cursor = next.toString();
    count = nextBatchSize(count, replyMs);
    notify(job);
  } while (cursor !== "0");
  progress.complete = true;
  notify(job);
}
