import { afterAll, afterEach, describe, expect, it } from "vitest";
import { decodePoint } from "@/lib/metrics/codec";
import { leaseKey, newInstanceToken } from "@/lib/metrics/lease";
import { parseCommandStats } from "@/lib/metrics/sample";
import { MetricsSampler, type SamplerOptions } from "@/lib/metrics/sampler";
import { closeMetricsSamplers, metricsSampler, readMetrics } from "@/lib/metrics/samplers";
import { minutesStreamKey, secondsStreamKey } from "@/lib/metrics/store";
import { parseInfo } from "@/lib/redis/info";
import { startRedisServer } from "@/scripts/lib/redis-server";
import { withConsoleRedis } from "@/tests/helpers/redis";

const redis = withConsoleRedis("main");
const started: MetricsSampler[] = [];

/** A sampler as another console process would have it: its own memory and its own lease token. */
function consoleInstance(options: SamplerOptions = {}): MetricsSampler {
  const sampler = new MetricsSampler("main", { token: newInstanceToken(), ...options });
  started.push(sampler);
  return sampler;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((sampler) => sampler.stop()));
  await closeMetricsSamplers();
});

afterAll(async () => {
  await closeMetricsSamplers();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** INFO calls the server has served so far (this read included, from the next read on). */
async function infoCalls(): Promise<number> {
  return parseCommandStats(parseInfo(await redis.client.info("commandstats")).commandstats).info ?? 0;
}

/** Waits for a sample taken after `after` and returns its time. */
async function sampleAfter(sampler: MetricsSampler, after: number): Promise<number> {
  await expect
    .poll(() => sampler.latest().point?.at ?? 0, { timeout: 5_000, interval: 50 })
    .toBeGreaterThan(after);
  return sampler.latest().point!.at;
}

async function lastStoredAt(key: string): Promise<number> {
  const [entry] = await redis.client.xrevrange(key, "+", "-", "COUNT", 1);
  const point = decodePoint(entry?.[1][1]);
  return point?.at ?? 0;
}

describe("the metrics sampler", () => {
  it("reads a 75% hit rate from 300 hits and 100 misses between two samples", async () => {
    await redis.client.set("hit-rate:model", "cached");
    const sampler = consoleInstance();
    sampler.acquire();
    await sampler.ready();
    const before = await sampleAfter(sampler, 0);

    const traffic = redis.client.pipeline();
    for (let i = 0; i < 300; i++) traffic.get("hit-rate:model");
    for (let i = 0; i < 100; i++) traffic.get(`hit-rate:absent:${i}`);
    await traffic.exec();
    await sampleAfter(sampler, Date.now());

    const history = sampler.history("1m");
    expect(history.points.filter((p) => p.at > before).reduce((sum, p) => sum + (p.reads ?? 0), 0)).toBe(400);
    // The sampler's own commands (INFO, the lease, its writes) count no keyspace read.
    expect(history.hitRate).toEqual({ ratio: 0.75, hits: 300, misses: 100 });
  });

  it("issues one INFO a second however many viewers use it", async () => {
    const sampler = metricsSampler("main");
    for (let i = 0; i < 20; i++) sampler.acquire();
    await Promise.all(Array.from({ length: 20 }, () => readMetrics("main", "1m")));
    // Past start-up: ioredis checks each new connection with an INFO of its own.
    await sampleAfter(sampler, Date.now());

    const before = await infoCalls();
    await sleep(3_000);
    // Minus one: the first `infoCalls()` itself.
    const sampled = (await infoCalls()) - before - 1;
    expect(sampled).toBeGreaterThanOrEqual(2);
    expect(sampled).toBeLessThanOrEqual(4);
  });

  it("stops reading INFO a grace period after the last viewer left, and gives the lease back", async () => {
    const sampler = consoleInstance({ graceMs: 1_500 });
    const release = sampler.acquire();
    await sampler.ready();
    await sampleAfter(sampler, Date.now());
    // A polling viewer keeps it alive past the release…
    release();
    sampler.touch();
    await sleep(1_000);
    expect(sampler.status.role).toBe("sampling");
    // …and once nobody polls either, it stops.
    await expect.poll(() => sampler.status.role, { timeout: 5_000 }).toBe("stopped");
    expect(await redis.client.exists(leaseKey("main"))).toBe(0);
    const before = await infoCalls();
    await sleep(2_000);
    expect((await infoCalls()) - before - 1).toBe(0);
  });

  it("lets only the lease holder of several console instances read INFO; the others chart its points", async () => {
    const a = consoleInstance();
    a.acquire();
    await a.ready();
    await expect.poll(() => a.status.role).toBe("sampling");
    const b = consoleInstance();
    b.acquire();
    await b.ready();
    await sampleAfter(b, Date.now());

    const before = await infoCalls();
    await sleep(3_000);
    const sampled = (await infoCalls()) - before - 1;
    expect(sampled).toBeGreaterThanOrEqual(2);
    expect(sampled).toBeLessThanOrEqual(4);
    expect(b.status.role).toBe("following");
    await expect.poll(() => b.latest().point?.at).toBe(a.latest().point?.at);

    await a.stop();
    const stoppedAt = Date.now();
    await expect.poll(() => b.status.role, { timeout: 5_000 }).toBe("sampling");
    expect(Date.now() - stoppedAt).toBeLessThan(3_000);
    await sampleAfter(b, Date.now());
    // The hand-over leaves no hole in the chart.
    expect(b.history("1m").gaps.filter((gap) => gap.to === null || gap.to > stoppedAt - 1_000)).toEqual([]);
  });

  it("takes over within a few seconds when the holder died without handing the lease over", async () => {
    // A lease left by a console process that crashed: nobody renews it.
    await redis.client.set(leaseKey("main"), String(newInstanceToken()), "PX", 2_000);
    const sampler = consoleInstance();
    sampler.acquire();
    await sampler.ready();
    await sleep(500);
    expect(sampler.status.role).toBe("following");
    await expect.poll(() => sampler.status.role, { timeout: 5_000 }).toBe("sampling");
    await sampleAfter(sampler, Date.now());
  });

  it("keeps samples across a console restart: a new sampler loads them from console state", async () => {
    const first = consoleInstance({ longBucketMs: 2_000 });
    first.acquire();
    await first.ready();
    const since = Date.now();
    await expect
      .poll(() => first.history("1m").points.filter((p) => p.at >= since).length, { timeout: 10_000 })
      .toBeGreaterThanOrEqual(5);
    await first.stop();
    const sampled = first.history("1m").points.map((p) => p.at);
    // The closed 24-hour buckets of this run (the last one was still filling).
    const closed = first
      .history("24h")
      .points.map((p) => p.at)
      .filter((at) => at >= since)
      .slice(0, -1);
    expect(closed.length).toBeGreaterThanOrEqual(1);
    await expect.poll(() => lastStoredAt(secondsStreamKey("main"))).toBe(sampled.at(-1));
    await expect.poll(() => lastStoredAt(minutesStreamKey("main"))).toBe(closed.at(-1));

    const restarted = consoleInstance({ longBucketMs: 2_000 });
    restarted.acquire();
    await restarted.ready();
    expect(restarted.history("1m").points.map((p) => p.at)).toEqual(expect.arrayContaining(sampled));
    expect(restarted.history("24h").points.map((p) => p.at)).toEqual(expect.arrayContaining(closed));
  });

  it("shows the time Redis was down as a gap, and resumes when it is back", async () => {
    const sampler = consoleInstance();
    sampler.acquire();
    await sampler.ready();
    await sampleAfter(sampler, 0);

    redis.client.on("error", () => {});
    await redis.server.stop();
    const downAt = Date.now();
    await expect.poll(() => sampler.latest().state, { timeout: 5_000 }).toBe("unreachable");
    const open = sampler.history("1m").gaps.at(-1);
    expect(open).toMatchObject({ reason: "unreachable", to: null });
    expect(open!.from).toBeGreaterThanOrEqual(downAt - 1_000);

    const again = await startRedisServer({ port: redis.server.port });
    try {
      await expect.poll(() => sampler.latest().state, { timeout: 15_000 }).toBe("live");
      const history = sampler.history("1m");
      const gap = history.gaps.find((g) => g.reason === "unreachable");
      expect(gap?.to).toBeGreaterThan(gap!.from);
      // The restarted server's counters began again at zero: no step has a negative rate.
      expect(history.points.every((p) => p.opsPerSec === null || p.opsPerSec >= 0)).toBe(true);
      await expect
        .poll(() => sampler.history("1m").points.some((p) => p.at > gap!.to! && p.opsPerSec !== null))
        .toBe(true);
    } finally {
      await again.stop();
    }
  });
});
