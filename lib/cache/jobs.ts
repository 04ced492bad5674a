import "server-only";
import type Redis from "ioredis";
import { Cluster } from "ioredis";
import { countNode, SeenKeys } from "@/lib/cache/count";
import { flushNode } from "@/lib/cache/flush";
import { displayGlob } from "@/lib/cache/glob";
import {
  findJob,
  jobsOf,
  registerJob,
  runJob,
  snapshotOf,
  type Job,
  type JobKind,
  type JobSnapshot,
} from "@/lib/cache/job-registry";
import { assertNotConsoleState } from "@/lib/cache/policy";
import { consoleStateTest } from "@/lib/console-state";
import { writeAudit } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { toAppError } from "@/lib/redis/errors";
import { dataNodes, findConnection, readyClient, type RedisClient } from "@/lib/redis/registry";

// The Cache page's background jobs: flush a pattern (SCAN + UNLINK on every data node — each
// master of a cluster — side by side) and count a pattern exactly. Who may start what is decided
// by the actions (lib/actions/cache.ts); a flush audits itself when it ends, with its count.

export type { JobSnapshot, JobState, JobKind, JobListener } from "@/lib/cache/job-registry";
export { watchJobs } from "@/lib/cache/job-registry";

export interface JobStarter {
  /** The glob's bytes, as SCAN MATCH takes them (typedGlob in lib/redis/keys turns typed text into these). */
  pattern: Buffer;
  user: string;
  role?: string;
  address?: string;
}

/** A cancel waits this long for the job to stop before answering with its state. */
const CANCEL_WAIT_MS = 1_000;

async function connect(
  connectionId: string,
): Promise<{ client: RedisClient; nodes: Redis[]; sizes: number[] }> {
  const config = findConnection(connectionId);
  try {
    const client = await readyClient(connectionId);
    const nodes = dataNodes(client);
    const sizes = await Promise.all(nodes.map((node) => node.dbsize()));
    return { client, nodes, sizes };
  } catch (error) {
    throw toAppError(error, config.name);
  }
}

async function auditFlush(starter: JobStarter, snapshot: JobSnapshot): Promise<void> {
  const details: Partial<Record<JobSnapshot["state"], string>> = {
    cancelled: `cancelled by ${snapshot.cancelledBy ?? "the console"} after ${snapshot.deleted} keys`,
    failed: snapshot.error?.code,
  };
  await writeAudit({
    action: "cache.flush",
    user: starter.user,
    role: starter.role,
    connection: snapshot.connectionId,
    target: snapshot.pattern,
    count: snapshot.deleted,
    outcome: snapshot.state === "failed" ? "failed" : "ok",
    detail: details[snapshot.state],
    address: starter.address,
  });
}

/** Starts flushing every key matching the pattern, except the console's own; answers at once. */
export async function startFlush(connectionId: string, starter: JobStarter): Promise<JobSnapshot> {
  assertNotConsoleState(starter.pattern);
  const { client, nodes, sizes } = await connect(connectionId);
  const job = registerJob({
    kind: "flush",
    connectionId,
    pattern: displayGlob(starter.pattern),
    user: starter.user,
    nodeSizes: sizes,
  });
  const skip = consoleStateTest();
  const cluster = client instanceof Cluster;
  const work = nodes.map(
    (node, i) => () => flushNode({ node, pattern: starter.pattern, cluster, skip }, job.nodes[i]!, job),
  );
  runJob(job, findConnection(connectionId).name, work, (snapshot) => auditFlush(starter, snapshot));
  return snapshotOf(job);
}

/** Starts counting the keys matching the pattern exactly (the dry run only samples a large database). */
export async function startExactCount(connectionId: string, starter: JobStarter): Promise<JobSnapshot> {
  const { nodes, sizes } = await connect(connectionId);
  const job = registerJob({
    kind: "count",
    connectionId,
    pattern: displayGlob(starter.pattern),
    user: starter.user,
    nodeSizes: sizes,
  });
  const seen = new SeenKeys();
  const work = nodes.map((node, i) => () => countNode(node, starter.pattern, job.nodes[i]!, job, seen));
  runJob(job, findConnection(connectionId).name, work, async () => {});
  return snapshotOf(job);
}

function existingJob(id: string): Job {
  const job = findJob(id);
  if (!job)
    throw new AppError(
      "NOT_FOUND",
      "That job is not known here: it finished over an hour ago, or ran on another console instance.",
    );
  return job;
}

export function getJob(id: string): JobSnapshot {
  return snapshotOf(existingJob(id));
}

/** Jobs of one connection, running and finished within the hour, newest first. */
export function listJobs(connectionId: string): JobSnapshot[] {
  return jobsOf(connectionId).map((job) => snapshotOf(job));
}

/**
 * Asks the job to stop (its runners check between batches, a few milliseconds apart) and answers
 * once it stopped, or after a second at most. Cancelling a finished job changes nothing.
 * `kind` restricts which jobs the caller may cancel.
 */
export async function cancelJob(id: string, by: string, kind?: JobKind): Promise<JobSnapshot> {
  const job = existingJob(id);
  if (kind && job.kind !== kind)
    throw new AppError("FORBIDDEN", `That is a ${job.kind} job, not a ${kind} job.`);
  if (job.state === "running" && !job.stopRequested) {
    job.stopRequested = true;
    job.cancelledBy = by;
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([job.finished, new Promise((resolve) => (timer = setTimeout(resolve, CANCEL_WAIT_MS)))]);
  clearTimeout(timer);
  return snapshotOf(job);
}

/** Settles when the job has finished (for tests and scripts); never rejects. */
export async function jobFinished(id: string): Promise<JobSnapshot> {
  const job = existingJob(id);
  await job.finished;
  return snapshotOf(job);
}
