// The console's own traffic, counted by the process that sent it (lib/redis/own-reads.ts) and
// stored with each sample, so the hit rate, ops/s and the command series can leave it out.

export interface OwnCounters {
  /** The sampling process. */
  by: number;
  /**
   * Every console instance's count (console state's sum, lib/metrics/own-share.ts), which two
   * samples compare whichever process took them; without it, only the sampling process's own.
   */
  shared?: true;
  hits: number;
  misses: number;
  commands?: number;
  calls?: Record<string, number>;
}

/** What a step needs of a sample to take the console's own reads and commands out of it. */
interface Counted {
  hits: number;
  misses: number;
  own?: OwnCounters;
}

/**
 * The console's own calls under the names `calls` uses: Redis 7 counts `memory|usage`, Redis 6
 * only `memory`. Only the commands `calls` keeps are stored, since only those are charted.
 */
export function ownCallsFor(
  calls: Record<string, number>,
  own: Record<string, number>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, count] of Object.entries(own)) {
    const key = name in calls ? name : name.split("|")[0]!;
    if (key in calls) out[key] = (out[key] ?? 0) + count;
  }
  return out;
}

/** Whether two samples' own counts compare: every instance's both, or the same process's. */
function comparable(before: OwnCounters, after: OwnCounters): boolean {
  return (before.shared === true && after.shared === true) || before.by === after.by;
}

/**
 * The console's own commands during a step, when both samples' counts compare (comparable);
 * never below zero.
 */
export function ownCommandsOf(
  prev: Counted,
  next: Counted,
): { total: number; calls: Record<string, number> } {
  const before = prev.own;
  const after = next.own;
  if (!before || !after || !comparable(before, after) || after.commands === undefined)
    return { total: 0, calls: {} };
  const calls: Record<string, number> = {};
  for (const [name, count] of Object.entries(after.calls ?? {})) {
    calls[name] = Math.max(0, count - (before.calls?.[name] ?? 0));
  }
  return { total: Math.max(0, after.commands - (before.commands ?? after.commands)), calls };
}

/**
 * Keyspace hits and misses of one step, without the console's own reads when both samples' counts
 * compare (comparable). Never below zero: the console's count and INFO are read a moment apart.
 */
export function stepReads(prev: Counted, next: Counted): { hits: number; misses: number } {
  let hits = next.hits - prev.hits;
  let misses = next.misses - prev.misses;
  if (prev.own && next.own && comparable(prev.own, next.own)) {
    hits -= Math.min(hits, Math.max(0, next.own.hits - prev.own.hits));
    misses -= Math.min(misses, Math.max(0, next.own.misses - prev.own.misses));
  }
  return { hits, misses };
}
