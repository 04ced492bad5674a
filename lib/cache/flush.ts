import "server-only";
import { notify, type Job } from "@/lib/cache/job-registry";
import { BATCH_LIMITS, nextBatchSize, type NodeProgress } from "@/lib/cache/pacing";
import { groupBySlot } from "@/lib/cache/slot";
import type { RedisNode } from "@/lib/redis/client";

// A namespace flush on one data node, the way a plain script does it: one round trip a step, UNLINK
// of what the previous SCAN found, then SCAN MATCH on from the cursor, written together. Never KEYS;
// never DEL (UNLINK frees a big value in the background). The batch (SCAN COUNT) is paced by how
// long Redis took to answer the step (lib/cache/pacing), not by the console's own time between
// steps. The deleted count comes from UNLINK's replies, which count only keys that existed, so a
// key SCAN returns twice is counted once.

export interface FlushTarget {
  node: RedisNode;
  pattern: Buffer;
  /** On a cluster a multi-key UNLINK must stay within one slot. */
  cluster: boolean;
  /** Keys never to delete (the console's own). */
  skip: (key: Buffer) => boolean;
}

type Pipeline = ReturnType<RedisNode["pipeline"]>;
type Reply = [Error | null, unknown];
type ScanReply = [cursor: Buffer, keys: Buffer[]];

/** "This key is not on this node any more" (resharding): the key is left alone, not a failure. */
function isMovedError(error: Error): boolean {
  return /^(MOVED|ASK|TRYAGAIN) /.test(error.message);
}

function queueUnlink(target: FlushTarget, pipeline: Pipeline, keys: Buffer[]): void {
  if (keys.length === 0) return;
  for (const group of target.cluster ? groupBySlot(keys) : [keys]) pipeline.callBuffer("UNLINK", ...group);
}

/** Adds UNLINK's counts to the job; the first real failure fails the node. */
function recordDeleted(job: Job, replies: Reply[]): void {
  let failure: Error | null = null;
  for (const [error, value] of replies) {
    if (error && !isMovedError(error)) failure ??= error;
    if (typeof value === "number") job.deleted += value;
  }
  if (failure) throw failure;
}

/** The console's own keys out of a SCAN batch; the batch itself when it holds none (the usual case). */
function deletable(target: FlushTarget, found: Buffer[]): Buffer[] {
  return found.some(target.skip) ? found.filter((key) => !target.skip(key)) : found;
}

/** One round trip: UNLINK `doomed`, then SCAN on from `cursor`; answers both replies. */
async function step(target: FlushTarget, doomed: Buffer[], cursor: string, count: number) {
  const pipeline = target.node.pipeline();
  queueUnlink(target, pipeline, doomed);
  pipeline.callBuffer("SCAN", cursor, "MATCH", target.pattern, "COUNT", count);
  const replies = ((await pipeline.exec()) ?? []) as Reply[];
  const [scanError, scan] = replies.pop() ?? [new Error("SCAN sent no reply"), null];
  return { unlinked: replies, scanError, scan: scan as ScanReply };
}

async function unlinkRest(target: FlushTarget, doomed: Buffer[], job: Job): Promise<void> {
  if (doomed.length === 0) return;
  const pipeline = target.node.pipeline();
  queueUnlink(target, pipeline, doomed);
  recordDeleted(job, ((await pipeline.exec()) ?? []) as Reply[]);
}

export async function flushNode(target: FlushTarget, progress: NodeProgress, job: Job): Promise<void> {
  let cursor = "0";
  let doomed: Buffer[] = [];
  let count: number = BATCH_LIMITS.initial;
  do {
    // A cancel leaves the last batch found in place: nothing is deleted after the stop.
    if (job.stopRequested) return;
    const sentAt = performance.now();
    const { unlinked, scanError, scan } = await step(target, doomed, cursor, count);
    // Redis's own time for the step (its work and the wire), without the console's between steps.
    const redisMs = performance.now() - sentAt;
    recordDeleted(job, unlinked);
    if (scanError) throw scanError;
    const [next, found] = scan;
    job.matched += found.length;
    progress.examined += Math.max(count, found.length);
    doomed = deletable(target, found);
    cursor = next.toString();
    count = nextBatchSize(count, redisMs);
    notify(job);
  } while (cursor !== "0");
  if (job.stopRequested) return;
  await unlinkRest(target, doomed, job);
  progress.complete = true;
  notify(job);
}
