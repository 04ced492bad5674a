import "server-only";
import { notify, type Job } from "@/lib/cache/job-registry";
import { BATCH_LIMITS, nextBatchSize, type NodeProgress } from "@/lib/cache/pacing";
import { groupBySlot } from "@/lib/cache/slot";
import type { RedisNode } from "@/lib/redis/client";
import { defineScript } from "@/lib/redis/lua";
import { recordOwnCommands } from "@/lib/redis/own-reads";

// A namespace flush on one data node, one round trip a step. Never KEYS; never DEL (UNLINK frees a
// big value in the background). The batch (SCAN COUNT) is paced by how long Redis spent on the
// step, read from Redis's own clock (lib/cache/pacing), not by the console's own time between or
// around steps. The deleted count comes from UNLINK's replies, which count only keys that existed,
// so a key SCAN returns twice is counted once.
//
// A step is a script where Redis allows it: SCAN MATCH on from the cursor and UNLINK of what it
// found, inside Redis, so the keys never cross the wire twice (a plain script reads every key name
// and sends it back). Otherwise — a cluster, where one UNLINK must stay within a slot, or a server
// that refuses the script (an ACL without scripting, a proxy) — a step is the plain script's: UNLINK
// of what the previous SCAN found, and the next SCAN, written together.

export interface FlushTarget {
  node: RedisNode;
  pattern: Buffer;
  /** On a cluster a multi-key UNLINK must stay within one slot. */
  cluster: boolean;
  /** The prefix of keys never to delete (the console's own). */
  keep: Buffer;
}

type Pipeline = ReturnType<RedisNode["pipeline"]>;
type Reply = [Error | null, unknown];
type ScanReply = [cursor: Buffer, keys: Buffer[]];

/**
 * One step inside Redis. ARGV: cursor, pattern, count, the prefix to keep. UNLINK goes in chunks
 * that Lua's unpack takes. Answers the next cursor, the keys SCAN found, the keys UNLINK deleted
 * and how many UNLINK calls it made (for the console's count of its own commands).
 */
const FLUSH_STEP = defineScript(`
local found = redis.call('SCAN', ARGV[1], 'MATCH', ARGV[2], 'COUNT', ARGV[3])
local keep, doomed, deleted, unlinks = ARGV[4], {}, 0, 0
for _, key in ipairs(found[2]) do
  if string.sub(key, 1, #keep) ~= keep then doomed[#doomed + 1] = key end
end
for first = 1, #doomed, 1000 do
  deleted = deleted + redis.call('UNLINK', unpack(doomed, first, math.min(first + 999, #doomed)))
  unlinks = unlinks + 1
end
return {found[1], #found[2], deleted, unlinks}
`);

type ScriptReply = [cursor: Buffer, found: number, deleted: number, unlinks: number];

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
  const { keep } = target;
  const kept = (key: Buffer) => key.length >= keep.length && keep.compare(key, 0, keep.length) === 0;
  return found.some(kept) ? found.filter((key) => !kept(key)) : found;
}

/** Redis's clock (TIME) in microseconds, or null when the reply is not one (TIME refused by an ACL). */
function redisMicros(reply: Reply | undefined): number | null {
  const [error, value] = reply ?? [new Error("no reply"), null];
  if (error || !Array.isArray(value)) return null;
  return Number(value[0]) * 1_000_000 + Number(value[1]);
}

/**
 * One round trip of the commands `queue` writes, and how long Redis spent on them. With `clock`,
 * TIME goes before and after them, so that time is Redis's own (from its first command to its
 * last), however late this process comes back to the reply; without it (or when TIME is refused),
 * the round trip's time stands in for it.
 */
async function timed(target: FlushTarget, clock: boolean, queue: (pipeline: Pipeline) => void) {
  const pipeline = target.node.pipeline();
  if (clock) pipeline.time();
  queue(pipeline);
  if (clock) pipeline.time();
  const sentAt = performance.now();
  const replies = ((await pipeline.exec()) ?? []) as Reply[];
  const roundTripMs = performance.now() - sentAt;
  const end = clock ? redisMicros(replies.pop()) : null;
  const begin = clock ? redisMicros(replies.shift()) : null;
  const clocked = begin !== null && end !== null;
  return { replies, redisMs: clocked ? (end - begin) / 1_000 : roundTripMs, clocked };
}

/** How a node's flush goes on: `script` steps until Redis refuses one, then `plain` steps. */
interface Walk {
  cursor: string;
  count: number;
  /** Read Redis's clock around each step (dropped once an ACL refuses TIME: each refusal fills ACL LOG). */
  clock: boolean;
  script: "sha" | "source" | "refused";
  /** Plain steps: what the last SCAN found, to UNLINK in the next step. */
  doomed: Buffer[];
}

/** A step inside Redis; false when Redis refused the script, and nothing was done. */
async function scriptStep(
  target: FlushTarget,
  walk: Walk,
  progress: NodeProgress,
  job: Job,
): Promise<boolean> {
  const { pattern, keep } = target;
  const [command, script] = walk.script === "sha" ? ["EVALSHA", FLUSH_STEP.sha] : ["EVAL", FLUSH_STEP.source];
  const { replies, redisMs, clocked } = await timed(target, walk.clock, (pipeline) =>
    pipeline.callBuffer(command, script, 0, walk.cursor, pattern, walk.count, keep),
  );
  walk.clock &&= clocked;
  const [error, reply] = replies[0] ?? [new Error("The flush step sent no reply"), null];
  if (error) {
    // Not yet loaded (a restart, a failover): the same step by its source. Anything else — an ACL
    // without scripting, an old server, a proxy — leaves the rest to plain steps, which also
    // report a failure that is Redis's own (LOADING, a lost connection) as the job's error.
    walk.script = walk.script === "sha" && error.message.startsWith("NOSCRIPT") ? "source" : "refused";
    return false;
  }
  const [next, found, deleted, unlinks] = reply as ScriptReply;
  recordOwnCommands(target.node, unlinks > 0 ? { scan: 1, unlink: unlinks } : { scan: 1 });
  job.matched += found;
  job.deleted += deleted;
  progress.examined += Math.max(walk.count, found);
  walk.cursor = next.toString();
  walk.count = nextBatchSize(walk.count, redisMs);
  return true;
}

/** A plain step: UNLINK of what the last SCAN found, then SCAN on from the cursor, in one round trip. */
async function plainStep(target: FlushTarget, walk: Walk, progress: NodeProgress, job: Job): Promise<void> {
  const { replies, redisMs, clocked } = await timed(target, walk.clock, (pipeline) => {
    queueUnlink(target, pipeline, walk.doomed);
    pipeline.callBuffer("SCAN", walk.cursor, "MATCH", target.pattern, "COUNT", walk.count);
  });
  walk.clock &&= clocked;
  const [scanError, scan] = replies.pop() ?? [new Error("SCAN sent no reply"), null];
  recordDeleted(job, replies);
  if (scanError) throw scanError;
  const [next, found] = scan as ScanReply;
  job.matched += found.length;
  progress.examined += Math.max(walk.count, found.length);
  walk.doomed = deletable(target, found);
  walk.cursor = next.toString();
  walk.count = nextBatchSize(walk.count, redisMs);
}

async function unlinkRest(target: FlushTarget, doomed: Buffer[], job: Job): Promise<void> {
  if (doomed.length === 0) return;
  const pipeline = target.node.pipeline();
  queueUnlink(target, pipeline, doomed);
  recordDeleted(job, ((await pipeline.exec()) ?? []) as Reply[]);
}

export async function flushNode(target: FlushTarget, progress: NodeProgress, job: Job): Promise<void> {
  const walk: Walk = {
    cursor: "0",
    count: BATCH_LIMITS.initial,
    clock: true,
    script: target.cluster ? "refused" : "sha",
    doomed: [],
  };
  for (;;) {
    // A cancel leaves the last batch found in place: nothing is deleted after the stop.
    if (job.stopRequested) return;
    if (walk.script === "refused") await plainStep(target, walk, progress, job);
    // Refused: the same step again, by the script's source or as a plain step.
    else if (!(await scriptStep(target, walk, progress, job))) continue;
    notify(job);
    if (walk.cursor === "0") break;
  }
  if (job.stopRequested) return;
  await unlinkRest(target, walk.doomed, job);
  progress.complete = true;
  notify(job);
}
