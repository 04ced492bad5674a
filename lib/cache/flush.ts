import "server-only";
import { notify, type Job } from "@/lib/cache/job-registry";
import { BATCH_LIMITS, nextBatchSize, type NodeProgress } from "@/lib/cache/pacing";
import { groupBySlot } from "@/lib/cache/slot";
import type { RedisNode } from "@/lib/redis/client";

// A namespace flush on one data node: SCAN MATCH <pattern>, and UNLINK what the previous SCAN
// found, sent together. The SCAN goes first, so while this process reads its reply Redis is
// already unlinking the previous batch: Redis and the console work side by side, yet each command
// stays small (the batch size adapts to the round trip, lib/cache/pacing). Never KEYS; never DEL
// (UNLINK frees a big value in the background). The deleted count comes from UNLINK's replies,
// which count only keys that existed, so a key SCAN returns twice is counted once.

export interface FlushTarget {
  node: RedisNode;
  pattern: Buffer;
  /** On a cluster a multi-key UNLINK must stay within one slot. */
  cluster: boolean;
  /** Keys never to delete (the console's own). */
  skip: (key: Buffer) => boolean;
}

type Pipeline = ReturnType<RedisNode["pipeline"]>;
type ScanReply = [cursor: Buffer, keys: Buffer[]];

/** What one batch of UNLINKs did; never a rejected promise, so a batch can wait unobserved. */
interface Deletion {
  deleted: number;
  error: unknown;
}

/** "This key is not on this node any more" (resharding): the key is left alone, not a failure. */
function isMovedError(error: Error): boolean {
  return /^(MOVED|ASK|TRYAGAIN) /.test(error.message);
}

function queueUnlink(target: FlushTarget, pipeline: Pipeline, keys: Buffer[]): void {
  if (keys.length === 0) return;
  for (const group of target.cluster ? groupBySlot(keys) : [keys]) pipeline.callBuffer("UNLINK", ...group);
}

function countDeleted(replies: [Error | null, unknown][]): Deletion {
  const result: Deletion = { deleted: 0, error: null };
  for (const [error, value] of replies) {
    if (error && !isMovedError(error)) result.error ??= error;
    if (typeof value === "number") result.deleted += value;
  }
  return result;
}

function execDeletion(pipeline: Pipeline, skip: number): Promise<Deletion> {
  return pipeline.exec().then(
    (replies) => countDeleted(((replies ?? []) as [Error | null, unknown][]).slice(skip)),
    (error: unknown) => ({ deleted: 0, error }),
  );
}

/** One round trip: SCAN on from `cursor`, then UNLINK `doomed` (the previous SCAN's keys). */
function sendStep(target: FlushTarget, cursor: string, count: number, doomed: Buffer[]) {
  const pipeline = target.node.pipeline();
  const scan = new Promise<ScanReply>((resolve, reject) => {
    pipeline.callBuffer("SCAN", cursor, "MATCH", target.pattern, "COUNT", count, (error, reply) =>
      error ? reject(error) : resolve(reply as ScanReply),
    );
  });
  queueUnlink(target, pipeline, doomed);
  return { scan, deletion: execDeletion(pipeline, 1) };
}

function sendUnlink(target: FlushTarget, doomed: Buffer[]): Promise<Deletion> {
  if (doomed.length === 0) return Promise.resolve({ deleted: 0, error: null });
  const pipeline = target.node.pipeline();
  queueUnlink(target, pipeline, doomed);
  return execDeletion(pipeline, 0);
}

function record(job: Job, deletion: Deletion): void {
  job.deleted += deletion.deleted;
  if (deletion.error) throw deletion.error;
}

export async function flushNode(target: FlushTarget, progress: NodeProgress, job: Job): Promise<void> {
  let cursor = "0";
  let doomed: Buffer[] = [];
  let count: number = BATCH_LIMITS.initial;
  let previous: Promise<Deletion> = sendUnlink(target, []);
  let started = false;
  while (!job.stopRequested && (!started || cursor !== "0")) {
    started = true;
    const began = performance.now();
    const step = sendStep(target, cursor, count, doomed);
    const [next, found] = await step.scan;
    const stepMs = performance.now() - began;
    // Sent before this SCAN, so already answered: counting it costs no wait.
    record(job, await previous);
    previous = step.deletion;
    job.matched += found.length;
    progress.examined += Math.max(count, found.length);
    doomed = found.filter((key) => !target.skip(key));
    cursor = next.toString();
    count = nextBatchSize(count, stepMs);
    notify(job);
  }
  record(job, await previous);
  if (job.stopRequested) return;
  record(job, await sendUnlink(target, doomed));
  progress.complete = true;
  notify(job);
}
