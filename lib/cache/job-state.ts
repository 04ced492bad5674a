import "server-only";
import type { JobSnapshot } from "@/lib/cache/job-types";
import { stateKey } from "@/lib/console-state";
import { AppError } from "@/lib/errors";
import type { RedisClient } from "@/lib/redis/client";
import { withState } from "@/lib/redis/gate";
import { createDedicatedStateClient } from "@/lib/redis/registry";

// Flush and count jobs in console state, so every console instance lists, follows and cancels
// every job (DESIGN.md: the console scales out). The instance running a job writes its snapshot
// twice a second — the write is the job's lease — and publishes it for live pages; a job whose
// snapshot has not been written for JOB_LEASE_MS is reported stopped, its counts kept.
//
//   <prefix>jobs:<id>                      hash: snapshot (JSON), heartbeat (ms), stop, stopBy
//   <prefix>jobs:by-connection:<conn>      sorted set of job ids by start time
//   <prefix>jobs:feed                      channel: every snapshot written
//
// A cancel from another instance bumps `stop`; the runner learns of it from its next write
// (`HINCRBY stop 0` answers the count without a read, which Redis would count as a lookup).

export const JOB_HEARTBEAT_MS = 500;
export const JOB_LEASE_MS = 3_000;
/** Finished jobs are kept this long. */
export const JOB_RETENTION_MS = 60 * 60 * 1_000;
const LISTED_AT_MOST = 200;

const jobKey = (id: string) => stateKey("jobs", id);
const indexKey = (connectionId: string) => stateKey("jobs", "by-connection", connectionId);
const feedChannel = () => stateKey("jobs", "feed");

/** Writes the snapshot (renewing the lease) and answers how many cancels were asked for. */
export async function saveJob(snapshot: JobSnapshot): Promise<number> {
  const json = JSON.stringify(snapshot);
  return withState(async (state) => {
    const key = jobKey(snapshot.id);
    const index = indexKey(snapshot.connectionId);
    const [, , stops] = await Promise.all([
      state.hset(key, "snapshot", json, "heartbeat", String(Date.now())),
      state.pexpire(key, JOB_RETENTION_MS),
      state.hincrby(key, "stop", 0),
      state.zadd(index, snapshot.startedAt, snapshot.id),
      state.pexpire(index, JOB_RETENTION_MS),
      state.publish(feedChannel(), json),
    ]);
    return stops;
  });
}

/** Who asked to stop a job (read once, when its runner learns of the cancel). */
export async function stopRequestedBy(id: string): Promise<string | null> {
  return withState((state) => state.hget(jobKey(id), "stopBy"));
}

/** Asks the instance running the job to stop it. */
export async function requestStop(id: string, by: string): Promise<void> {
  await withState(async (state) => {
    const key = jobKey(id);
    await state.hset(key, "stopBy", by);
    await state.hincrby(key, "stop", 1);
  });
}

// Marks a job stopped only if its runner wrote nothing since it was found silent.
const MARK_STOPPED = `if redis.call("HGET", KEYS[1], "heartbeat") == ARGV[1] then
  redis.call("HSET", KEYS[1], "snapshot", ARGV[2]) return 1 end
return 0`;

function stoppedSnapshot(snapshot: JobSnapshot, heartbeat: number): JobSnapshot {
  const count = snapshot.kind === "flush" ? snapshot.deleted : snapshot.matched;
  return {
    ...snapshot,
    state: "failed",
    finishedAt: heartbeat,
    etaSeconds: null,
    ratePerSec: 0,
    error: AppError.of("UNAVAILABLE", "jobInstanceStopped", { kind: snapshot.kind, count }).toBody(),
  };
}

async function readJob(state: RedisClient, id: string, now: number): Promise<JobSnapshot | null> {
  const [json, heartbeatText] = await state.hmget(jobKey(id), "snapshot", "heartbeat");
  if (!json) return null;
  const snapshot = JSON.parse(json) as JobSnapshot;
  const heartbeat = Number(heartbeatText);
  if (snapshot.state !== "running" || now - heartbeat <= JOB_LEASE_MS) return snapshot;
  const stopped = stoppedSnapshot(snapshot, heartbeat);
  await state.eval(MARK_STOPPED, 1, jobKey(id), String(heartbeatText), JSON.stringify(stopped));
  return stopped;
}

export async function loadJob(id: string): Promise<JobSnapshot | null> {
  return withState((state) => readJob(state, id, Date.now()));
}

/** The connection's jobs within the retention, newest first. */
export async function loadJobs(connectionId: string): Promise<JobSnapshot[]> {
  const now = Date.now();
  return withState(async (state) => {
    const index = indexKey(connectionId);
    await state.zremrangebyscore(index, "-inf", now - JOB_RETENTION_MS);
    const ids = await state.zrevrange(index, 0, LISTED_AT_MOST - 1);
    const jobs = await Promise.all(ids.map((id) => readJob(state, id, now)));
    return jobs.filter((job): job is JobSnapshot => job !== null);
  });
}

export function notFound(): AppError {
  return AppError.of("NOT_FOUND", "unknownJob");
}

// ---- the feed: snapshots written by every instance, for live pages ----

interface Feed {
  client: RedisClient;
  listeners: Set<(snapshot: JobSnapshot) => void>;
}

const globalFeed = globalThis as unknown as { __consoleJobFeed?: Feed };

function feed(): Feed {
  if (globalFeed.__consoleJobFeed) return globalFeed.__consoleJobFeed;
  const client = createDedicatedStateClient("jobs-feed");
  const state: Feed = { client, listeners: new Set() };
  client.on("message", (_channel: string, message: string) => {
    let snapshot: JobSnapshot;
    try {
      snapshot = JSON.parse(message) as JobSnapshot;
    } catch {
      return;
    }
    for (const listener of state.listeners) listener(snapshot);
  });
  // Queued until connected; ioredis subscribes again after a reconnect.
  void client.subscribe(feedChannel()).catch(() => undefined);
  globalFeed.__consoleJobFeed = state;
  return state;
}

/** Every snapshot any instance writes; returns the function that stops listening. */
export function watchStoredJobs(listener: (snapshot: JobSnapshot) => void): () => void {
  const state = feed();
  state.listeners.add(listener);
  return () => state.listeners.delete(listener);
}

/** For tests and shutdown. */
export function closeJobFeed(): void {
  const state = globalFeed.__consoleJobFeed;
  delete globalFeed.__consoleJobFeed;
  state?.client.disconnect();
}
