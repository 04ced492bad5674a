// How fast a background job may go, and the progress figures a page shows. Pure, unit-tested.
//
// The batch (SCAN COUNT, and so the next UNLINK) adapts to Redis's own time per step: from sending
// the step's commands to their reply, measured around the Redis part only, never the console's work
// between steps. Another client's command waits behind at most one of our steps, so a step must
// stay short for Redis; a slow reply means Redis is busy (big keys, other load, other jobs) and the
// batch shrinks. Measured on a 2-core machine loaded by other work (bench/flush.ts, issue 15): a
// step of about 1,700 keys was answered in 2.9 ms at the median, of which Redis's own time in SCAN
// and UNLINK (INFO commandstats) was 1.6 ms, while the console spent 0.1 ms between steps; another
// client's PING stayed at 1.8 ms p99. Pacing from the whole step, console time included, had kept
// the batch near 1,000 and the job at 0.80–0.92× a plain script's rate. On a machine loaded far
// beyond its cores a big batch is worse, not better: a longer Redis burst is more often preempted
// (replies of 15–200 ms, Redis's time per key up 1.5–1.9×), so every slow reply halves the batch;
// pacing by the fastest of the last few replies, tried, made the job slower.

export const BATCH_LIMITS = { min: 100, initial: 1_000, max: 2_000 } as const;

/** A reply slower than `slowMs` halves the batch; one faster than `fastMs` grows it by half. */
export const REPLY_TARGET = { fastMs: 2.5, slowMs: 6 } as const;

/** The next batch, from the current one and how long Redis took to answer it (ms). */
export function nextBatchSize(current: number, replyMs: number): number {
  if (replyMs > REPLY_TARGET.slowMs) return Math.max(BATCH_LIMITS.min, Math.floor(current / 2));
  if (replyMs < REPLY_TARGET.fastMs) return Math.min(BATCH_LIMITS.max, Math.ceil(current * 1.5));
  return current;
}

export interface NodeProgress {
  /** Keys the node's SCAN has looked at so far, approximately (the COUNT of each call). */
  examined: number;
  /** DBSIZE of the node when the job started. */
  total: number;
  /** The node's SCAN reached its end. */
  complete: boolean;
}

/** Keys examined over every node, capped by each node's size (a finished node counts whole). */
export function examinedKeys(nodes: NodeProgress[]): number {
  return nodes.reduce(
    (sum, node) => sum + (node.complete ? node.total : Math.min(node.examined, node.total)),
    0,
  );
}

/** 0…1. Below 1 until every node finished, even when the key count grew meanwhile. */
export function progressFraction(nodes: NodeProgress[]): number {
  if (nodes.length === 0 || nodes.every((node) => node.complete)) return 1;
  const total = nodes.reduce((sum, node) => sum + node.total, 0);
  if (total === 0) return 0;
  return Math.min(0.99, examinedKeys(nodes) / total);
}

export function ratePerSecond(count: number, elapsedMs: number): number {
  return elapsedMs > 0 ? Math.round((count * 1_000) / elapsedMs) : 0;
}

/** Not before this much time and progress: an early guess swings wildly. */
const ETA_MIN_ELAPSED_MS = 200;
const ETA_MIN_PROGRESS = 0.005;

/** Seconds left at the pace so far, or null while too early to say. */
export function etaSeconds(progress: number, elapsedMs: number): number | null {
  if (progress >= 1) return 0;
  if (elapsedMs < ETA_MIN_ELAPSED_MS || progress < ETA_MIN_PROGRESS) return null;
  return Math.ceil(((1 - progress) * elapsedMs) / progress / 1_000);
}
