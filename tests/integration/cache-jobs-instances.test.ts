import { afterEach, describe, expect, it } from "vitest";
import { closeJobFeed, JOB_LEASE_MS } from "@/lib/cache/job-state";
import { cancelJob, getJob, listJobs, watchJobs, type JobSnapshot } from "@/lib/cache/jobs";
import { startChildInstance, type ChildInstance } from "@/tests/helpers/instance";
import { withConsoleRedis } from "@/tests/helpers/redis";

// Flush jobs over several console instances (lib/cache/job-state.ts): a job another process runs
// is listed, followed live and cancelled here; when that process dies, the job is reported
// stopped once its lease runs out, with the counts it had reached.
const redis = withConsoleRedis("main");
let child: ChildInstance | undefined;

afterEach(async () => {
  child?.process.kill("SIGKILL");
  await child?.exited;
  child = undefined;
  closeJobFeed();
});

/**
 * Keys for the slow flush: its link adds 100 ms to each step, and the batch, paced by Redis's own
 * clock, does not shrink for that, so 100,000 keys take it 50 steps or more (over 5 s).
 */
const SLOW_KEYS = 100_000;

async function seed(count: number): Promise<void> {
  const batch = redis.client.pipeline();
  for (let i = 0; i < count; i++) batch.set(`slow:${i}`, "x");
  await batch.exec();
}

async function remaining(): Promise<number> {
  let cursor = "0";
  let count = 0;
  do {
    const [next, keys] = await redis.client.scan(cursor, "MATCH", "slow:*", "COUNT", 1_000);
    cursor = next;
    count += keys.length;
  } while (cursor !== "0");
  return count;
}

/** Starts a flush of slow:* on another console process, with a slow link so it runs for seconds. */
async function flushElsewhere(): Promise<JobSnapshot> {
  child = startChildInstance("start-slow-flush", "slow:*");
  const job = (await child.output) as JobSnapshot;
  await expect.poll(async () => (await getJob(job.id)).deleted, { timeout: 10_000 }).toBeGreaterThan(0);
  return job;
}

describe("flush jobs over console instances", () => {
  it("lists, follows and cancels a flush another instance runs", async () => {
    await seed(SLOW_KEYS);
    const seen: JobSnapshot[] = [];
    const stopWatching = watchJobs((snapshot) => seen.push(snapshot));
    const job = await flushElsewhere();

    expect((await listJobs("main")).find((listed) => listed.id === job.id)).toMatchObject({
      kind: "flush",
      state: "running",
      user: "child",
      pattern: "slow:*",
    });
    // Its progress arrives here live, from the other process's writes.
    await expect.poll(() => seen.filter((snapshot) => snapshot.id === job.id).length).toBeGreaterThan(1);

    const asked = Date.now();
    const cancelled = await cancelJob(job.id, "ops-ana");
    const tookMs = Date.now() - asked;
    console.log(`[jobs] cancel from another instance took ${tookMs} ms, after ${cancelled.deleted} keys`);
    expect(cancelled).toMatchObject({ state: "cancelled", cancelledBy: "ops-ana" });
    expect(tookMs).toBeLessThan(2_000);
    expect(cancelled.deleted).toBeLessThan(SLOW_KEYS);
    expect(await remaining()).toBe(SLOW_KEYS - cancelled.deleted);
    stopWatching();
  });

  it("reports a job stopped, its counts kept, once the instance running it died and its lease ran out", async () => {
    await redis.client.flushdb();
    await seed(SLOW_KEYS);
    const job = await flushElsewhere();
    child!.process.kill("SIGKILL");
    await child!.exited;
    const diedAt = Date.now();
    const lastWritten = await getJob(job.id);

    await expect
      .poll(async () => (await getJob(job.id)).state, { timeout: JOB_LEASE_MS + 3_000, interval: 200 })
      .toBe("failed");
    console.log(`[jobs] a dead instance's job was reported stopped ${Date.now() - diedAt} ms after it died`);
    const stopped = await getJob(job.id);
    expect(stopped.error?.message).toMatch(/^The console instance running this job stopped answering/);
    expect(stopped.deleted).toBe(lastWritten.deleted);
    expect(stopped.deleted).toBeGreaterThan(0);
    expect(stopped.deleted).toBeLessThanOrEqual(SLOW_KEYS - (await remaining()));
    expect((await listJobs("main")).find((listed) => listed.id === job.id)?.state).toBe("failed");
  });
});
