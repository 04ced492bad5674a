// How fast a background job may go, and the progress figures a page shows. Pure, unit-tested.
//
// The batch (SCAN COUNT, and so the next UNLINK) adapts to Redis's own time per step: Redis's clock
// read before and after the step's commands (TIME in the same pipeline, lib/cache/flush.ts), so
// the console's own work between steps, and a late return to the reply on a loaded machine, never
// shrink it. Another client's command waits behind at most one of our steps, so a step must stay
// short for Redis; a slow step means Redis is busy (big keys, other load, other jobs) and the batch
// shrinks. Measured on 2 cores (issue 15): a step of 2,000 keys examined took Redis about 2 ms and
// kept another client's PING at 2.2–2.3 ms p99; steps of up to 4,000 keys gained nothing in keys
// per second (the time left is the keys' own, on the wire and in both processes) and raised the
// PING's p99 to 3 ms. Earlier, pacing from the round trip, console time included, had kept the
// batch near 1,000 whenever the server was busy, and the job at 0.73–0.94× a plain script's rate.

export const BATCH_LIMITS = { min: 100, initial: 1_000, max: 2_000 } as const;

/** A step slower than `slowMs` halves the batch; one faster than `fastMs` grows it by half. */
export const STEP_TARGET = { fastMs: 2, slowMs: 4 } as const;

/** The next batch, from the current one and how long Redis spent on it (ms). */
export function nextBatchSize(current: number, redisMs: number): number {
  if (redisMs > STEP_TARGET.slowMs) return Math.max(BATCH_LIMITS.min, Math.floor(current / 2));
  if (redisMs < STEP_TARGET.fastMs) return Math.min(BATCH_LIMITS.max, Math.ceil(current * 1.5));
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
