import { describe, expect, it } from "vitest";
import { startFlush, type JobSnapshot } from "@/lib/cache/jobs";
import type { JobsEvent, MetricsEvent } from "@/lib/live/protocol";
import { metricsSampler } from "@/lib/metrics/samplers";
import { liveTabs, withLiveRedis } from "@/tests/helpers/live";
import { reader } from "@/tests/helpers/sse-reader";

// lib/live/feeds.ts: the console's own feeds on a tab's one stream — the charts' history and the
// Cache page's jobs.

const redis = withLiveRedis();
const openTab = liveTabs();

/** A tab whose stream is being read. */
function tab() {
  const client = openTab();
  const r = reader(client);
  r.start();
  return { client, r };
}

async function infoCalls(): Promise<number> {
  const stats = await redis.client.info("commandstats");
  return Number(/cmdstat_info:calls=(\d+)/.exec(stats)?.[1] ?? 0);
}

describe("metrics over the live stream", () => {
  it("pushes the range's history after each sample, one sampler for every tab, and stops with the last tab", async () => {
    const tabs = [tab(), tab(), tab()];
    for (const { client } of tabs) await client.watch([{ kind: "metrics", name: "1m" }]);
    const metrics = (r: ReturnType<typeof reader>) =>
      r.events.filter((e) => e.event === "metrics").map((e) => e.data as MetricsEvent);

    // A first event at once, then one per sample: three within a few seconds.
    for (const { r } of tabs)
      await expect.poll(() => metrics(r).length, { timeout: 6_000 }).toBeGreaterThan(2);
    const first = tabs[0]!.r;
    const latest = metrics(first).at(-1)!;
    expect(latest.range).toBe("1m");
    expect(latest.snapshot.connectionId).toBe("main");
    expect(latest.snapshot.history.points.length).toBeGreaterThan(1);
    expect(latest.snapshot.latest.state).toBe("live");

    // Reads made now show in the window's hit rate a second later, on the stream.
    await redis.client.set("feed:hit", "1");
    for (let i = 0; i < 30; i++) await redis.client.get("feed:hit");
    for (let i = 0; i < 10; i++) await redis.client.get("feed:miss");
    await expect
      .poll(() => metrics(first).at(-1)!.snapshot.history.hitRate, { timeout: 5_000 })
      .toMatchObject({ hits: 30, misses: 10, ratio: 0.75 });

    // Three tabs, one INFO a second.
    const before = await infoCalls();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const perSecond = ((await infoCalls()) - before - 1) / 3;
    expect(perSecond).toBeGreaterThan(0.5);
    expect(perSecond).toBeLessThan(1.7);

    for (const { client } of tabs) await client.close("tab closed");
    expect(metricsSampler("main").status.users).toBe(0);
  });

  it("leaves the console's own key reads out of the hit rate, counting the others exactly", async () => {
    const { client, r } = tab();
    await client.watch([{ kind: "metrics", name: "1m" }]);
    const latest = () =>
      r.events
        .filter((e) => e.event === "metrics")
        .map((e) => e.data as MetricsEvent)
        .at(-1)?.snapshot;
    await expect.poll(() => latest()?.history.points.length ?? 0, { timeout: 6_000 }).toBeGreaterThan(1);
    const before = latest()!.history.hitRate;

    // The console browses keys: a TYPE, PTTL and MEMORY USAGE per key, all keyspace lookups to Redis.
    const pairs: string[] = [];
    for (let i = 0; i < 200; i++) pairs.push(`own:${i}`, "v");
    await redis.client.mset(...pairs);
    const { listKeys } = await import("@/lib/keys/list");
    const page = await listKeys("main", { pattern: "own:*", limit: 200 });
    expect(page.rows.length).toBeGreaterThan(100);
    // An application reads meanwhile: 20 hits, 20 misses.
    for (let i = 0; i < 20; i++) await redis.client.get(`own:${i}`);
    for (let i = 0; i < 20; i++) await redis.client.get(`absent:${i}`);

    await expect
      .poll(
        () => {
          const rate = latest()!.history.hitRate;
          return { hits: rate.hits - before.hits, misses: rate.misses - before.misses };
        },
        { timeout: 5_000 },
      )
      .toEqual({ hits: 20, misses: 20 });
  });

  it("refuses a range that is not one of the charts'", async () => {
    const { watchSchema } = await import("@/lib/validation/live");
    const parsed = watchSchema.safeParse({
      client: "abcdefghijklmnop",
      add: [{ kind: "metrics", name: "5m" }],
    });
    expect(parsed.success).toBe(false);
  });
});

describe("jobs over the live stream", () => {
  it("sends the connection's jobs, then every change of a flush until it is done", async () => {
    const { client, r } = tab();
    await client.watch([{ kind: "jobs", name: "all" }]);
    await expect.poll(() => r.events.some((e) => e.event === "jobs")).toBe(true);
    expect((r.events.find((e) => e.event === "jobs")!.data as JobsEvent).jobs).toEqual([]);

    const pipeline = redis.client.pipeline();
    for (let i = 0; i < 20_000; i++) pipeline.set(`feedjob:${i}`, "x");
    await pipeline.exec();
    const started = await startFlush("main", { pattern: Buffer.from("feedjob:*"), user: "ana" });

    const updates = () =>
      r.events
        .filter((e) => e.event === "job")
        .map((e) => e.data as JobSnapshot)
        .filter((j) => j.id === started.id);
    await expect.poll(() => updates().at(-1)?.state, { timeout: 15_000 }).toBe("done");
    const seen = updates();
    expect(seen[0]!.state).toBe("running");
    expect(seen.at(-1)!.deleted).toBe(20_000);
    expect(await redis.client.exists("feedjob:0")).toBe(0);
  });
});
