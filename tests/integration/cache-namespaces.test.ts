import { beforeAll, describe, expect, it } from "vitest";
import {
  cancelJob,
  jobFinished,
  startExactCount,
  startFlush,
  watchJobs,
  type JobSnapshot,
} from "@/lib/cache/jobs";
import { listNamespaces, type NamespacePage } from "@/lib/cache/namespaces";
import { fromKeyRef, typedGlob } from "@/lib/redis/keys";
import { withConsoleRedis } from "@/tests/helpers/redis";

const redis = withConsoleRedis("main");
const CONN = "main";
const BIG_SIZES = [1, 2, 3, 4, 5, 6, 7, 8].map((k) => k * 4_096);

/** SET with an optional TTL for `count` keys named by `name`, in one pipeline. */
async function seed(name: (i: number) => string, count: number, ttlSeconds?: number, value = "v") {
  const pipeline = redis.client.pipeline();
  for (let i = 0; i < count; i++) {
    if (ttlSeconds) pipeline.set(name(i), value, "EX", ttlSeconds);
    else pipeline.set(name(i), value);
  }
  await pipeline.exec();
}

function namespace(page: NamespacePage, name: string) {
  const found = page.namespaces.find((ns) => ns.name === name);
  if (!found) throw new Error(`no namespace ${name} in ${page.namespaces.map((ns) => ns.name).join(", ")}`);
  return found;
}

describe("the Cache page's namespaces", () => {
  beforeAll(async () => {
    await seed((i) => `emb:${i}`, 3_000, 30);
    await seed((i) => `feat:${i}`, 500, 600);
    await seed((i) => `sess:${i}`, 1_000, 7_200);
    await seed((i) => `arch:${i}`, 200, 2 * 86_400);
    await seed((i) => `rank:${i}`, 2_000);
    await seed((i) => `nested:a:${i}`, 100);
    await seed((i) => `nested:b:${i}`, 50);
    await seed((i) => `loose${i}`, 20);
    for (const [i, size] of BIG_SIZES.entries()) await redis.client.set(`big:${i}`, "x".repeat(size));
    await redis.client.set("__console:namespaces-test", "v");
  });

  it("counts each namespace exactly when the scan covers the database, with TTLs and memory", async () => {
    const page = await listNamespaces(CONN, { sample: 100_000 });
    expect(page).toMatchObject({ prefix: "", delimiter: ":", sampled: false });
    expect(page.dbSize).toBe(6_879);
    expect(page.sampleSize).toBe(6_879);
    expect(page.namespaces.map((ns) => [ns.name, ns.estimatedKeys])).toEqual([
      ["emb", 3_000],
      ["rank", 2_000],
      ["sess", 1_000],
      ["feat", 500],
      ["arch", 200],
      ["nested", 150],
      ["big", 8],
    ]);
    expect(namespace(page, "emb")).toMatchObject({
      prefix: "emb:",
      pattern: "emb:*",
      keysSeen: 3_000,
      ttl: { none: 0, underMinute: 3_000, underHour: 0, underDay: 0, longer: 0 },
    });
    expect(namespace(page, "feat").ttl.underHour).toBe(500);
    expect(namespace(page, "sess").ttl.underDay).toBe(1_000);
    expect(namespace(page, "arch").ttl.longer).toBe(200);
    expect(namespace(page, "rank").ttl.none).toBe(2_000);
    expect(page.direct?.keysSeen).toBe(20);

    const emb = namespace(page, "emb");
    expect(emb.memoryBytesSeen).toBeGreaterThan(3_000 * 16);
    expect(emb.estimatedMemoryBytes).toBe(emb.memoryBytesSeen);
  });

  it("names the largest entries of a namespace, largest first, with refs that open them", async () => {
    const big = namespace(await listNamespaces(CONN), "big");
    expect(big.largest.map((entry) => entry.key)).toEqual(["big:7", "big:6", "big:5", "big:4", "big:3"]);
    expect(big.largest[0]!.memoryBytes).toBeGreaterThan(BIG_SIZES[7]!);
    expect(fromKeyRef(big.largest[0]!.ref)?.toString()).toBe("big:7");
  });

  it("hides the console's own keys unless asked, and goes one level down under a prefix", async () => {
    expect((await listNamespaces(CONN)).namespaces.some((ns) => ns.name === "__console")).toBe(false);
    const withState = await listNamespaces(CONN, { includeConsoleState: true });
    expect(namespace(withState, "__console").keysSeen).toBe(1);

    const nested = await listNamespaces(CONN, { prefix: "nested:" });
    expect(nested.namespaces.map((ns) => [ns.prefix, ns.keysSeen, ns.pattern])).toEqual([
      ["nested:a:", 100, "nested:a:*"],
      ["nested:b:", 50, "nested:b:*"],
    ]);
    expect(nested.direct).toBeNull();
  });

  it("samples a large database, says so and from how many keys, and scales the figures", async () => {
    await seed((i) => `bulk:${i}`, 200_000);
    const page = await listNamespaces(CONN, { sample: 10_000 });
    expect(page.sampled).toBe(true);
    expect(page.sampleSize).toBeGreaterThanOrEqual(10_000);
    expect(page.sampleSize).toBeLessThan(12_000);
    const bulk = namespace(page, "bulk");
    expect(bulk.keysSeen).toBeLessThan(12_000);
    expect(bulk.estimatedKeys).toBeGreaterThan(200_000 * 0.85);
    expect(bulk.estimatedKeys).toBeLessThan(200_000 * 1.15);
    expect(bulk.estimatedMemoryBytes!).toBeGreaterThan(bulk.memoryBytesSeen! * 10);
  });

  it("counts a pattern exactly as a background job, which can be cancelled", async () => {
    const updates: JobSnapshot[] = [];
    const unwatch = watchJobs((snapshot) => updates.push(snapshot));
    const job = await startExactCount(CONN, { pattern: typedGlob("bulk:*"), user: "viewer-vic" });
    expect(job).toMatchObject({ kind: "count", state: "running", pattern: "bulk:*" });
    const done = await jobFinished(job.id);
    unwatch();
    expect(done).toMatchObject({ state: "done", matched: 200_000, deleted: 0, exact: true, progress: 1 });
    const mine = updates.filter((update) => update.id === job.id);
    expect(mine.at(-1)).toEqual(done);

    const again = await startExactCount(CONN, { pattern: typedGlob("bulk:*"), user: "viewer-vic" });
    const cancelled = await cancelJob(again.id, "viewer-vic", "count");
    expect(cancelled.state).toBe("cancelled");
    expect(cancelled.matched).toBeLessThan(200_000);
  });

  it("lets a count-only cancel stop count jobs but not a flush", async () => {
    await seed((i) => `tmp:${i}`, 1_000);
    const flush = await startFlush(CONN, { pattern: typedGlob("tmp:*"), user: "ops-ana" });
    await expect(cancelJob(flush.id, "viewer-vic", "count")).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await jobFinished(flush.id)).deleted).toBe(1_000);
    await expect(cancelJob("00000000-0000-4000-8000-000000000000", "x")).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});
