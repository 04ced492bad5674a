import { afterAll, describe, expect, it } from "vitest";
import { newInstanceToken } from "@/lib/metrics/lease";
import { ownTrafficKey } from "@/lib/metrics/own-share";
import { MetricsSampler } from "@/lib/metrics/sampler";
import { runChildInstance, startChildInstance } from "@/tests/helpers/instance";
import { withConsoleRedis } from "@/tests/helpers/redis";

// lib/metrics/own-share.ts: every console instance adds its own reads to console state, and the
// sampler leaves them all out of the hit rate — another instance's Keys page is not traffic.
const redis = withConsoleRedis("main");
let sampler: MetricsSampler | undefined;

afterAll(async () => {
  await sampler?.stop();
});

describe("the console's own traffic, over instances", () => {
  it("leaves another instance's lookups out of the hit rate", async () => {
    const seed = redis.client.pipeline();
    for (let i = 0; i < 60; i++) seed.set(`listed:${i}`, "x");
    seed.set("hit-rate:model", "cached");
    await seed.exec();

    sampler = new MetricsSampler("main", { token: newInstanceToken() });
    sampler.acquire();
    await sampler.ready();
    await expect.poll(() => sampler!.latest().point?.at ?? 0, { timeout: 5_000 }).toBeGreaterThan(0);
    const before = sampler.latest().point!.at;

    // Another console process lists the keys: 120 lookups (TYPE and PTTL per key) Redis counts as hits.
    const listed = (await runChildInstance("list-keys", "listed:*")) as { rows: number; hits: number };
    expect(listed.rows).toBe(60);
    expect(listed.hits).toBe(120);

    // The application's traffic: 300 hits and 100 misses.
    const traffic = redis.client.pipeline();
    for (let i = 0; i < 300; i++) traffic.get("hit-rate:model");
    for (let i = 0; i < 100; i++) traffic.get(`hit-rate:absent:${i}`);
    await traffic.exec();
    const sent = Date.now();
    await expect.poll(() => sampler!.latest().point?.at ?? 0, { timeout: 5_000 }).toBeGreaterThan(sent);

    const history = sampler.history("1m");
    const reads = history.points.filter((p) => p.at > before).reduce((sum, p) => sum + (p.reads ?? 0), 0);
    expect(reads).toBe(400);
    expect(history.hitRate).toEqual({ ratio: 0.75, hits: 300, misses: 100 });
    // Read last: the test's own HGET is a lookup Redis counts like any other.
    expect(Number(await redis.client.hget(ownTrafficKey("main"), "hits"))).toBeGreaterThanOrEqual(120);
  });

  it("leaves another instance's bursts out of ops/s and the top commands in the step Redis ran them", async () => {
    await sampler?.stop();
    const seed = redis.client.pipeline();
    for (let i = 0; i < 150; i++) seed.set(`burst:${i}`, "x");
    await seed.exec();
    const started = Date.now();
    sampler = new MetricsSampler("main", { token: newInstanceToken() });
    sampler.acquire();
    await sampler.ready();
    // Two samples of this sampler: the steps judged are its own, after the seeding.
    await expect.poll(() => sampler!.latest().point?.at ?? 0, { timeout: 5_000 }).toBeGreaterThan(started);
    const from = sampler.latest().point!.at;

    // The application: 40 SETs a second. Another console process: bursts of 300 TYPE and PTTL at
    // odd times for 8 seconds, about 1,500 commands a second, shared when the sampler marks INFO.
    let running = true;
    const application = (async () => {
      while (running) {
        const batch = redis.client.pipeline();
        for (let i = 0; i < 10; i++) batch.set(`app:${i}`, String(i));
        await batch.exec();
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();
    const bursts = startChildInstance("type-bursts", "8");
    const { sent } = (await bursts.output) as { sent: number };
    expect(await bursts.exited).toBe(0);
    expect(sent).toBeGreaterThan(3_000);
    const end = Date.now();
    await expect
      .poll(() => sampler!.latest().point?.at ?? 0, { timeout: 5_000 })
      .toBeGreaterThan(end + 1_000);
    running = false;
    await application;

    const history = sampler.history("1m");
    const steps = history.points.filter((point) => point.at > from && point.opsPerSec !== null);
    expect(steps.length).toBeGreaterThanOrEqual(10);
    // Every burst was left out of the step Redis ran it in: no step shows TYPE or PTTL, and none
    // shows much more than the application's 40 a second.
    expect(history.topCommands).toContain("set");
    expect(history.topCommands).not.toContain("type");
    expect(history.topCommands).not.toContain("pttl");
    const ops = steps.map((point) => point.opsPerSec!);
    expect(Math.max(...ops)).toBeLessThan(80);
    // …and taken out as the console's own, in all.
    const own = steps.reduce((sum, point) => sum + point.consolePerSec! * (history.stepMs / 1_000), 0);
    expect(own).toBeGreaterThan(sent * 0.9);
  });
});
