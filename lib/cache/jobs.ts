import "server-only";
import { writeAudit } from "@/lib/audit";
import { countNode, SeenKeys } from "@/lib/cache/count";
import { flushNode } from "@/lib/cache/flush";
import { displayGlob } from "@/lib/cache/glob";
import {
  findJob,
  jobsOf,
  runningJobs,
  registerJob,
  runJob,
  snapshotOf,
  type Job,
  type JobKind,
  type JobSnapshot,
} from "@/lib/cache/job-registry";
import { JOB_HEARTBEAT_MS, loadJob, loadJobs, notFound, requestStop } from "@/lib/cache/job-state";
import { assertNotConsoleState } from "@/lib/cache/policy";
import { countFlushedKeys } from "@/lib/metrics/prometheus/registry";
import { statePrefix } from "@/lib/console-state";
import { AppError, translateBody, type ErrorTranslator } from "@/lib/errors";
import { isCluster, type RedisNode } from "@/lib/redis/client";
import type { ConnectionConfig } from "@/lib/redis/config";
import { withClient } from "@/lib/redis/gate";
import { dataNodes } from "@/lib/redis/registry";

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

interface JobStart {
  connection: ConnectionConfig;
  cluster: boolean;
  nodes: RedisNode[];
  /** DBSIZE of each node, for the progress bars. */
  sizes: number[];
}

/**
 * Reaches every data node through the gate, then starts the job with `start`; the job runs on in
 * the background, where lib/cache/job-registry maps its failures.
 */
function startOn(connectionId: string, start: (on: JobStart) => JobSnapshot): Promise<JobSnapshot> {
  return withClient(connectionId, async (client, connection) => {
    const nodes = dataNodes(client);
    const sizes = await Promise.all(nodes.map((node) => node.dbsize()));
    return start({ connection, cluster: isCluster(client), nodes, sizes });
  });
}

async function auditFlush(starter: JobStarter, snapshot: JobSnapshot): Promise<void> {
  countFlushedKeys(snapshot.deleted);
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
  return startOn(connectionId, ({ connection, cluster, nodes, sizes }) => {
    const job = registerJob({
      kind: "flush",
      connectionId,
      pattern: displayGlob(starter.pattern),
      user: starter.user,
      nodeSizes: sizes,
    });
    const keep = Buffer.from(statePrefix(), "utf8");
    const work = nodes.map(
      (node, i) => () => flushNode({ node, pattern: starter.pattern, cluster, keep }, job.nodes[i]!, job),
    );
    runJob(job, connection.name, work, (snapshot) => auditFlush(starter, snapshot));
    return snapshotOf(job);
  });
}

/** Starts counting the keys matching the pattern exactly (the dry run only samples a large database). */
export async function startExactCount(connectionId: string, starter: JobStarter): Promise<JobSnapshot> {
  return startOn(connectionId, ({ connection, nodes, sizes }) => {
    const job = registerJob({
      kind: "count",
      connectionId,
      pattern: displayGlob(starter.pattern),
      user: starter.user,
      nodeSizes: sizes,
    });
    const seen = new SeenKeys();
    const work = nodes.map((node, i) => () => countNode(node, starter.pattern, job.nodes[i]!, job, seen));
    runJob(job, connection.name, work, async () => {});
    return snapshotOf(job);
  });
}

function existingJob(id: string): Job {
  const job = findJob(id);
  if (!job) throw notFound();
  return job;
}

/** A job of this instance from its memory; another instance's from console state. */
export async function getJob(id: string): Promise<JobSnapshot> {
  const job = findJob(id);
  if (job) return snapshotOf(job);
  const stored = await loadJob(id);
  if (!stored) throw notFound();
  return stored;
}

/** Jobs running on this instance, by kind (for GET /metrics). */
export function runningJobCounts(): Record<JobKind, number> {
  const counts: Record<JobKind, number> = { flush: 0, count: 0 };
  for (const job of runningJobs()) counts[job.kind] += 1;
  return counts;
}

/** A job as one reader sees it: a failed job's error (stored with its key) in the reader's language. */
export function jobFor(snapshot: JobSnapshot, translate: ErrorTranslator): JobSnapshot {
  return snapshot.error ? { ...snapshot, error: translateBody(snapshot.error, translate) } : snapshot;
}

/** Jobs of one connection on every console instance, running and finished within the hour, newest first. */
export async function listJobs(connectionId: string): Promise<JobSnapshot[]> {
  const here = jobsOf(connectionId).map((job) => snapshotOf(job));
  const ids = new Set(here.map((job) => job.id));
  const elsewhere = (await loadJobs(connectionId)).filter((job) => !ids.has(job.id));
  return [...here, ...elsewhere].sort((a, b) => b.startedAt - a.startedAt);
}

function assertKind(job: JobSnapshot | Job, kind: JobKind | undefined): void {
  if (kind && job.kind !== kind)
    throw AppError.of("FORBIDDEN", "wrongJobKind", { kind: job.kind, expected: kind });
}

/**
 * Asks the job to stop (its runners check between batches, a few milliseconds apart) and answers
 * once it stopped, or after a second at most. Cancelling a finished job changes nothing. A job of
 * another instance is asked through console state; it stops at that instance's next heartbeat.
 * `kind` restricts which jobs the caller may cancel.
 */
export async function cancelJob(id: string, by: string, kind?: JobKind): Promise<JobSnapshot> {
  const job = findJob(id);
  if (!job) return cancelElsewhere(id, by, kind);
  assertKind(job, kind);
  if (job.state === "running" && !job.stopRequested) {
    job.stopRequested = true;
    job.cancelledBy = by;
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([job.finished, new Promise((resolve) => (timer = setTimeout(resolve, CANCEL_WAIT_MS)))]);
  clearTimeout(timer);
  return snapshotOf(job);
}

async function cancelElsewhere(id: string, by: string, kind?: JobKind): Promise<JobSnapshot> {
  let stored = await loadJob(id);
  if (!stored) throw notFound();
  assertKind(stored, kind);
  if (stored.state !== "running") return stored;
  await requestStop(id, by);
  const deadline = Date.now() + CANCEL_WAIT_MS + JOB_HEARTBEAT_MS;
  while (stored.state === "running" && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    stored = (await loadJob(id)) ?? stored;
  }
  return stored;
}

/** Settles when the job has finished (for tests and scripts); never rejects. */
export async function jobFinished(id: string): Promise<JobSnapshot> {
  const job = existingJob(id);
  await job.finished;
  return snapshotOf(job);
}
