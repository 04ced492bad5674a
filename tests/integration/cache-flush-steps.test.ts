import { beforeEach, describe, expect, it } from "vitest";
import { cancelJob, getJob, jobFinished, startFlush } from "@/lib/cache/jobs";
import { typedGlob } from "@/lib/redis/keys";
import { monitorCommands } from "@/tests/helpers/monitor";
import { withConsoleRedis } from "@/tests/helpers/redis";

// The flush's step (lib/cache/flush.ts): each batch's UNLINK goes out with the next SCAN in one
// round trip, paced by Redis's reply time. What must hold whatever the batch: exactly the matching
// keys go, never one of the console's own, and nothing goes after a cancel.
const CONN = "main";
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

describe("a flush sending each batch's UNLINK with the next SCAN", () => {
  it("deletes exactly the keys of a * flush across many batches and no console key among them", async () => {
    await seed((i) => `doc:${i}`, 60_000);
    await seed((i) => `__console:kept:${i}`, 3_000);
    const unlinked: string[] = [];
    const monitor = await monitorCommands(redis.server.port, ({ args }) => {
      if (args[0]?.toLowerCase() === "unlink") unlinked.push(...args.slice(1));
    });

    const job = await startFlush(CONN, { pattern: typedGlob("*"), ...OPERATOR });
    const done = await jobFinished(job.id);
    monitor.stop();

    expect(done).toMatchObject({ state: "done", deleted: 60_000, progress: 1 });
    expect(await countMatching("doc:*")).toBe(0);
    expect(await countMatching("__console:kept:*")).toBe(3_000);
    // More than one batch went, and none of them named a console key.
    expect(unlinked.length).toBeGreaterThanOrEqual(60_000);
    expect(unlinked.filter((key) => key.startsWith("__console:"))).toEqual([]);
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
});
