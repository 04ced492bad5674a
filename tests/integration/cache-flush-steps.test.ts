import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { cancelJob, getJob, jobFinished, startFlush, watchJobs, type JobSnapshot } from "@/lib/cache/jobs";
import { typedGlob } from "@/lib/redis/keys";
import { monitorCommands } from "@/tests/helpers/monitor";
import { userWithoutScripts, withConsoleRedis } from "@/tests/helpers/redis";

// The flush's steps (lib/cache/flush.ts): a script that finds and deletes a batch inside Redis, or
// where scripts are refused each batch's UNLINK with the next SCAN; one round trip a step, paced by
// Redis's clock. What must hold whatever the step and the batch: exactly the matching
// keys go, never one of the console's own, and nothing goes after a cancel.
const CONN = "main";
const PLAIN = "plain-steps";
const redis = withConsoleRedis(CONN);
const OPERATOR = { user: "ops-ana", role: "operator" };

beforeEach(async () => {
  await redis.client.flushdb();
});

/** Writes `count` keys named by `name`, 500 to an MSET. */
async function seed(name: (i: number) => string, count: number): Promise<void> {
  const pipeline = redis.client.pipeline();
  for (let i = 0; i < count; i += 500) {
    const pairs: string[] = [];
    for (let j = i; j < Math.min(count, i + 500); j++) pairs.push(name(j), "v");
    pipeline.mset(...pairs);
  }
  await pipeline.exec();
}

/** How many keys match the glob, read with SCAN as any client would. */
async function countMatching(match: string): Promise<number> {
  const found = new Set<string>();
  let cursor = "0";
  do {
    const [next, keys] = await redis.client.scan(cursor, "MATCH", match, "COUNT", 5_000);
    for (const key of keys) found.add(key);
    cursor = next;
  } while (cursor !== "0");
  return found.size;
}

async function waitUntil(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 2));
}

/** Watches a flush of `*` over 60,000 keys beside 3,000 console keys: what was sent, and by whom. */
async function watchFlushOfAll(conn: string) {
  await seed((i) => `doc:${i}`, 60_000);
  await seed((i) => `__console:kept:${i}`, 3_000);
  const unlinked: string[] = [];
  const sent: string[] = [];
  const monitor = await monitorCommands(redis.server.port, ({ args, source }) => {
    const command = args[0]!.toLowerCase();
    if (command === "unlink") unlinked.push(...args.slice(1));
    if (["time", "unlink", "scan", "evalsha", "eval"].includes(command)) {
      sent.push(source === "lua" ? `lua:${command}` : command);
    }
  });
  const job = await startFlush(conn, { pattern: typedGlob("*"), ...OPERATOR });
  const done = await jobFinished(job.id);
  await new Promise((resolve) => setTimeout(resolve, 100)); // MONITOR reports a moment late
  monitor.stop();

  expect(done).toMatchObject({ state: "done", deleted: 60_000, progress: 1 });
  expect(await countMatching("doc:*")).toBe(0);
  expect(await countMatching("__console:kept:*")).toBe(3_000);
  // More than one batch went, and none of them named a console key.
  expect(unlinked.length).toBeGreaterThanOrEqual(60_000);
  expect(unlinked.filter((key) => key.startsWith("__console:"))).toEqual([]);
  return sent.join(" ");
}

describe("a flush, one round trip a step, paced by Redis's clock", () => {
  beforeAll(async () => {
    // The same server as a user whose ACL refuses scripts: the flush takes plain steps, as on a cluster.
    const url = await userWithoutScripts(redis.client, redis.server.url, "no-scripts");
    const connections = JSON.parse(process.env.CONSOLE_CONNECTIONS!) as object[];
    process.env.CONSOLE_CONNECTIONS = JSON.stringify([
      ...connections,
      { id: PLAIN, type: "standalone", url },
    ]);
  });

  it("finds and deletes each batch inside Redis, reading no key name and never a console key", async () => {
    const sent = await watchFlushOfAll(CONN);
    // Each step: TIME, the script (its SCAN and UNLINK run inside Redis), TIME. The script goes by
    // its source once, the first time this server is asked for it.
    const steps = sent.replace(/^time evalsha time /, "").split(/(?<=\btime) (?=time)/);
    expect(steps.length).toBeGreaterThan(1);
    for (const step of steps) expect(step).toMatch(/^time (eval|evalsha) lua:scan( lua:unlink)* time$/);
  });

  it("takes plain steps where the script is refused: each batch's UNLINK goes with the next SCAN", async () => {
    const sent = await watchFlushOfAll(PLAIN);
    // The script, refused once (MONITOR shows no refused command: only the TIMEs around it); then
    // each step TIME, UNLINK of the last batch, SCAN, TIME; the last batch's UNLINK alone.
    expect(sent).not.toMatch(/eval/);
    expect(sent).toMatch(/^time time /);
    const steps = sent
      .replace(/^time time /, "")
      .replace(/ unlink$/, "")
      .split(/(?<=scan time) /);
    expect(steps.length).toBeGreaterThan(1);
    for (const step of steps) expect(step).toMatch(/^time (unlink )?scan time$/);
  });

  it("stops mid-way when cancelled: the keys not yet deleted remain, and none go afterwards", async () => {
    await seed((i) => `stop:${i}`, 200_000);
    await seed((i) => `other:${i}`, 1_000);
    const job = await startFlush(CONN, { pattern: typedGlob("stop:*"), ...OPERATOR });
    await waitUntil(async () => {
      const seen = await getJob(job.id);
      return seen.deleted >= 20_000 || seen.state !== "running";
    });

    await cancelJob(job.id, "ops-bob");
    const cancelled = await jobFinished(job.id);
    const remaining = await countMatching("stop:*");

    expect(cancelled).toMatchObject({ state: "cancelled", cancelledBy: "ops-bob" });
    expect(cancelled.deleted).toBeGreaterThan(0);
    expect(remaining).toBeGreaterThan(0);
    expect(remaining).toBe(200_000 - cancelled.deleted);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await countMatching("stop:*")).toBe(remaining);
    expect(await countMatching("other:*")).toBe(1_000);
  });

  it("shows watchers the latest progress while a step waits on Redis, not the last one the 250 ms let out", async () => {
    await seed((i) => `held:${i}`, 100_000);
    const seen: JobSnapshot[] = [];
    const stopWatching = watchJobs((snapshot) => seen.push(snapshot));
    const job = await startFlush(CONN, { pattern: typedGlob("held:*"), ...OPERATOR });
    await waitUntil(async () => (await getJob(job.id)).deleted > 0);
    await redis.client.call("CLIENT", "PAUSE", "5000", "WRITE");
    try {
      await new Promise((resolve) => setTimeout(resolve, 400));
      const now = await getJob(job.id);
      expect(now.state).toBe("running");
      expect(seen.filter((snapshot) => snapshot.id === job.id).at(-1)?.deleted).toBe(now.deleted);
    } finally {
      await redis.client.call("CLIENT", "UNPAUSE");
      stopWatching();
    }
    expect(await jobFinished(job.id)).toMatchObject({ state: "done", deleted: 100_000 });
  });
});
