import "server-only";
import { randomUUID } from "node:crypto";
import {
  etaSeconds,
  examinedKeys,
  progressFraction,
  ratePerSecond,
  type NodeProgress,
} from "@/lib/cache/pacing";
import {
  JOB_HEARTBEAT_MS,
  JOB_RETENTION_MS,
  saveJob,
  stopRequestedBy,
  watchStoredJobs,
} from "@/lib/cache/job-state";
import type { JobKind, JobSnapshot, JobState } from "@/lib/cache/job-types";
import { AppError, type ErrorBody } from "@/lib/errors";
import { toAppError } from "@/lib/redis/errors";

// The Cache page's background jobs (flush, exact count), one registry per console process kept on
// globalThis, so every bundle of the Next server and every browser sees the same jobs. A job runs
// detached from the request that started it: leaving or reloading the page does not stop it.
// Finished jobs stay visible for an hour for late viewers.

export type { JobKind, JobSnapshot, JobState } from "@/lib/cache/job-types";

export interface Job {
  readonly id: string;
  readonly kind: JobKind;
  readonly connectionId: string;
  readonly pattern: string;
  readonly user: string;
  readonly startedAt: number;
  readonly nodes: NodeProgress[];
  state: JobState;
  matched: number;
  deleted: number;
  exact: boolean;
  /** Set by a cancel or by another node's failure; runners check it between batches. */
  stopRequested: boolean;
  cancelledBy: string | null;
  finishedAt: number | null;
  error: ErrorBody | null;
  /** Settles once the job finished and its audit entry (if any) was written; never rejects. */
  finished: Promise<void>;
  lastNotified: number;
  /** A notice held back by the 250 ms between notices, due when they are up. */
  heldNotice?: NodeJS.Timeout;
}

export type JobListener = (snapshot: JobSnapshot) => void;

/** Finished jobs are kept JOB_RETENTION_MS, and at most MAX_FINISHED of them in memory. */
export { JOB_RETENTION_MS };
const MAX_FINISHED = 200;
/** Jobs running at once per connection and process: more would compete for Redis' one thread. */
export const MAX_RUNNING_PER_CONNECTION = 4;
const NOTIFY_INTERVAL_MS = 250;

interface Store {
  jobs: Map<string, Job>;
  listeners: Set<JobListener>;
}

const globalStore = globalThis as unknown as { __consoleCacheJobs?: Store };

function store(): Store {
  globalStore.__consoleCacheJobs ??= { jobs: new Map(), listeners: new Set() };
  return globalStore.__consoleCacheJobs;
}

export function snapshotOf(job: Job, now = Date.now()): JobSnapshot {
  const elapsed = (job.finishedAt ?? now) - job.startedAt;
  const progress = progressFraction(job.nodes);
  const scanned = examinedKeys(job.nodes);
  return {
    id: job.id,
    kind: job.kind,
    connectionId: job.connectionId,
    pattern: job.pattern,
    user: job.user,
    state: job.state,
    scanned,
    matched: job.matched,
    deleted: job.deleted,
    totalKeys: job.nodes.reduce((sum, node) => sum + node.total, 0),
    progress: job.state === "done" ? 1 : progress,
    ratePerSec: ratePerSecond(job.kind === "flush" ? job.deleted : scanned, elapsed),
    etaSeconds: job.state === "running" ? etaSeconds(progress, elapsed) : null,
    nodes: job.nodes.length,
    nodesDone: job.nodes.filter((node) => node.complete).length,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    cancelledBy: job.cancelledBy,
    error: job.error,
    exact: job.exact,
  };
}

function prune(now = Date.now()): void {
  const { jobs } = store();
  const finished = [...jobs.values()].filter((job) => job.finishedAt !== null);
  finished.forEach((job, index) => {
    const tooMany = finished.length - index > MAX_FINISHED;
    if (tooMany || now - job.finishedAt! > JOB_RETENTION_MS) jobs.delete(job.id);
  });
}

/**
 * Tells listeners (the live hub) about a job: at most every 250 ms while it runs, always when it
 * ends. A change held back goes out when its 250 ms are up, so watchers see the latest progress
 * even while the job waits on Redis (a long step, a paused server).
 */
export function notify(job: Job, force = false): void {
  const now = Date.now();
  const wait = job.lastNotified + NOTIFY_INTERVAL_MS - now;
  if (!force && wait > 0) {
    job.heldNotice ??= setTimeout(() => notify(job, true), wait).unref();
    return;
  }
  clearTimeout(job.heldNotice);
  job.heldNotice = undefined;
  job.lastNotified = now;
  const listeners = store().listeners;
  if (listeners.size === 0) return;
  const snapshot = snapshotOf(job, now);
  for (const listener of listeners) listener(snapshot);
}

/** For a live stream of job progress, this instance's and every other's; returns the unsubscribe function. */
export function watchJobs(listener: JobListener): () => void {
  store().listeners.add(listener);
  const stopStored = watchStoredJobs((snapshot) => {
    // This instance's own jobs reach the listener directly, without the round trip.
    if (!store().jobs.has(snapshot.id)) listener(snapshot);
  });
  return () => {
    store().listeners.delete(listener);
    stopStored();
  };
}

/**
 * Writes the job to console state for the other instances (lib/cache/job-state.ts), and stops it
 * when one of them asked to. While console state is away the job runs on; the others see it
 * stopped once its lease runs out.
 */
async function persist(job: Job): Promise<void> {
  try {
    const stops = await saveJob(snapshotOf(job));
    if (stops === 0 || job.state !== "running" || job.stopRequested) return;
    const by = await stopRequestedBy(job.id).catch(() => null);
    if (job.state !== "running" || job.stopRequested) return;
    job.cancelledBy = by ?? "another console instance";
    job.stopRequested = true;
  } catch {
    // Console state unreachable: tried again on the next heartbeat.
  }
}

export interface NewJob {
  kind: JobKind;
  connectionId: string;
  pattern: string;
  user: string;
  /** DBSIZE of each data node at the start. */
  nodeSizes: number[];
}

export function registerJob(init: NewJob): Job {
  prune();
  const running = [...store().jobs.values()].filter(
    (job) => job.connectionId === init.connectionId && job.state === "running",
  );
  if (running.length >= MAX_RUNNING_PER_CONNECTION) {
    throw AppError.of("RATE_LIMITED", "tooManyJobs", { max: MAX_RUNNING_PER_CONNECTION });
  }
  const job: Job = {
    id: randomUUID(),
    kind: init.kind,
    connectionId: init.connectionId,
    pattern: init.pattern,
    user: init.user,
    startedAt: Date.now(),
    nodes: init.nodeSizes.map((total) => ({ examined: 0, total, complete: false })),
    state: "running",
    matched: 0,
    deleted: 0,
    exact: true,
    stopRequested: false,
    cancelledBy: null,
    finishedAt: null,
    error: null,
    finished: Promise.resolve(),
    lastNotified: 0,
  };
  store().jobs.set(job.id, job);
  // Pages watching the connection's jobs show it at once, in every browser.
  notify(job, true);
  void persist(job);
  return job;
}

/**
 * Runs a job's per-node work side by side, detached from the caller. A node that fails stops the
 * others (between batches); the job ends as failed, cancelled (stopped before every node was
 * done) or done, and `onFinish` (the audit entry) runs once.
 */
export function runJob(
  job: Job,
  connectionName: string,
  nodeWork: (() => Promise<void>)[],
  onFinish: (snapshot: JobSnapshot) => Promise<void>,
): void {
  const stopOthersOnFailure = (work: () => Promise<void>) =>
    work().catch((error: unknown) => {
      job.stopRequested = true;
      throw error;
    });
  const heartbeat = setInterval(() => void persist(job), JOB_HEARTBEAT_MS);
  heartbeat.unref();
  job.finished = (async () => {
    const results = await Promise.allSettled(nodeWork.map(stopOthersOnFailure));
    clearInterval(heartbeat);
    const failure = results.find((result) => result.status === "rejected");
    if (failure) {
      job.state = "failed";
      job.error = toAppError(failure.reason, connectionName).toBody();
    } else {
      job.state = job.nodes.every((node) => node.complete) ? "done" : "cancelled";
    }
    job.finishedAt = Date.now();
    notify(job, true);
    await persist(job);
    await onFinish(snapshotOf(job)).catch((error: unknown) => console.error("[cache job] finish:", error));
  })();
}

export function findJob(id: string): Job | undefined {
  prune();
  return store().jobs.get(id);
}

/** Jobs of one connection, newest first. */
export function jobsOf(connectionId: string): Job[] {
  prune();
  return [...store().jobs.values()]
    .filter((job) => job.connectionId === connectionId)
    .sort((a, b) => b.startedAt - a.startedAt);
}

export function runningJobs(): Job[] {
  return [...store().jobs.values()].filter((job) => job.state === "running");
}
