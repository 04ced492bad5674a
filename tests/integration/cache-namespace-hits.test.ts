import type { Cluster, Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cached,
  epochMinute,
  HIT_COUNTER_TTL_SECONDS,
  hitCounterKey,
  MINUTE_MS,
  recordLookup,
  type HitCounterClient,
} from "@/lib/cache/hit-counter";
import { readNamespaceHitRates, type NamespaceHitRates } from "@/lib/cache/namespace-hits";
import { listNamespaces } from "@/lib/cache/namespaces";
import { isConsoleStateKey } from "@/lib/console-state";
import { closeAllClients } from "@/lib/redis/registry";
import type { RedisServerHandle } from "@/scripts/lib/redis-server";
import { startTraffic } from "@/scripts/traffic-sim";
import { startTestCluster } from "@/tests/helpers/cluster";
import { startTestRedis } from "@/tests/helpers/redis";

// `app` plays the application that counts its cache lookups; the console reads them back.
const CONN = "main";
const TRAFFIC = "traffic";
const CLUSTER = "cluster";
const NOW = Date.now();
let main: { server: RedisServerHandle; client: Redis };
let traffic: { server: RedisServerHandle; client: Redis };
let cluster: { servers: RedisServerHandle[]; client: Cluster };

beforeAll(async () => {
  [main, traffic, cluster] = await Promise.all([startTestRedis(), startTestRedis(), startTestCluster()]);
  process.env.CONSOLE_CONNECTIONS = JSON.stringify([
    { id: CONN, type: "standalone", url: main.server.url },
    { id: TRAFFIC, type: "standalone", url: traffic.server.url },
    { id: CLUSTER, type: "cluster", nodes: cluster.servers.map(({ port }) => ({ host: "127.0.0.1", port })) },
  ]);
});

afterAll(async () => {
  await closeAllClients();
  delete process.env.CONSOLE_CONNECTIONS;
  main?.client.disconnect();
  traffic?.client.disconnect();
  cluster?.client.disconnect();
  await Promise.all(
    [main?.server, traffic?.server, ...(cluster?.servers ?? [])].map((handle) => handle?.stop()),
  );
});

/** `hits` hits and `misses` misses of `namespace`, `minutesAgo` minutes before NOW, concurrently. */
async function lookups(
  app: HitCounterClient,
  namespace: string,
  hits: number,
  misses: number,
  minutesAgo = 0,
): Promise<void> {
  const now = NOW - minutesAgo * MINUTE_MS;
  await Promise.all([
    ...Array.from({ length: hits }, () => recordLookup(app, namespace, true, { now })),
    ...Array.from({ length: misses }, () => recordLookup(app, namespace, false, { now })),
  ]);
}

function summary(rates: NamespaceHitRates) {
  return rates.namespaces.map(({ namespace, hits, misses, hitRate }) => ({
    namespace,
    hits,
    misses,
    hitRate,
  }));
}

describe("hit rate by namespace", () => {
  beforeAll(async () => {
    await lookups(main.client, "result", 100, 40, 3);
    await lookups(main.client, "result", 200, 60, 1);
    await lookups(main.client, "embedding", 10, 0, 1);
  });

  it("reads 300 hits and 100 misses as 75 %, and 10 hits without a miss as 100 %", async () => {
    const rates = await readNamespaceHitRates(CONN, "15m", NOW);
    expect(rates).toMatchObject({ range: "15m", enabled: true, otherNamespaces: 0, partialMinutes: 0 });
    expect(summary(rates)).toEqual([
      { namespace: "result", hits: 300, misses: 100, hitRate: 0.75 },
      { namespace: "embedding", hits: 10, misses: 0, hitRate: 1 },
    ]);
  });

  it("charts each minute, and minutes without lookups as no reads", async () => {
    const rates = await readNamespaceHitRates(CONN, "15m", NOW);
    const result = rates.namespaces[0]!.series;
    expect(result).toHaveLength(15);
    const minute = (minutesAgo: number) =>
      result.find((p) => p.at === (epochMinute(NOW) - minutesAgo) * MINUTE_MS);
    expect(minute(3)).toMatchObject({ hits: 100, misses: 40, hitRate: 100 / 140 });
    expect(minute(1)).toMatchObject({ hits: 200, misses: 60, hitRate: 200 / 260 });
    expect(minute(2)).toMatchObject({ hits: 0, misses: 0, hitRate: null });
    expect(minute(0)?.hitRate).toBeNull();
  });

  it("keeps a counter a day and an hour, under the console's own prefix, out of the namespaces list", async () => {
    const key = hitCounterKey(epochMinute(NOW - MINUTE_MS));
    expect(key).toMatch(/^__console:hits:\d+$/);
    expect(await main.client.hgetall(key)).toEqual({
      "result:hit": "200",
      "result:miss": "60",
      "embedding:hit": "10",
    });
    const ttl = await main.client.ttl(key);
    expect(ttl).toBeGreaterThan(HIT_COUNTER_TTL_SECONDS - 60);
    expect(ttl).toBeLessThanOrEqual(HIT_COUNTER_TTL_SECONDS);
    expect(isConsoleStateKey(Buffer.from(key))).toBe(true);
    const page = await listNamespaces(CONN);
    expect(page.namespaces.map((ns) => ns.name)).not.toContain("__console");
  });

  it("says the counters are not enabled when no counter exists in the window", async () => {
    const later = await readNamespaceHitRates(CONN, "1h", NOW + 2 * 60 * MINUTE_MS);
    expect(later).toMatchObject({ enabled: false, namespaces: [], otherNamespaces: 0 });
    expect(later.keyPrefix).toBe("__console:hits:");
  });

  it("covers a day in the 24-hour range and only the last hour in the 1-hour range", async () => {
    await lookups(main.client, "features", 1, 1, 23 * 60);
    const day = await readNamespaceHitRates(CONN, "24h", NOW);
    expect(day.stepMinutes).toBe(10);
    expect(day.namespaces.find((ns) => ns.namespace === "features")).toMatchObject({ hits: 1, misses: 1 });
    const hour = await readNamespaceHitRates(CONN, "1h", NOW);
    expect(hour.namespaces.map((ns) => ns.namespace)).toEqual(["result", "embedding"]);
  });

  it("skips fields and keys that do not follow the convention", async () => {
    const key = hitCounterKey(epochMinute(NOW) - 5);
    await main.client.hset(key, "notes", "hello", "odd:hit", "many");
    await main.client.set(hitCounterKey(epochMinute(NOW) - 6), "not a hash");
    const rates = await readNamespaceHitRates(CONN, "15m", NOW);
    expect(summary(rates).map((ns) => ns.namespace)).toEqual(["result", "embedding"]);
  });

  it("counts the classic cached calculation: compute on a miss, the cached value on a hit", async () => {
    let computed = 0;
    const square = () => {
      computed++;
      return String(7 * 7);
    };
    const now = NOW - 10 * MINUTE_MS;
    expect(await cached(main.client, "result:7", "square", 60, square, { now })).toBe("49");
    expect(await cached(main.client, "result:7", "square", 60, square, { now })).toBe("49");
    expect(computed).toBe(1);
    expect(await main.client.ttl("result:7")).toBeGreaterThan(50);
    const rates = await readNamespaceHitRates(CONN, "15m", NOW);
    expect(summary(rates)).toContainEqual({ namespace: "square", hits: 1, misses: 1, hitRate: 0.5 });
  });
});

describe("hit rate by namespace on a cluster", () => {
  it("counts through the cluster client and reads every minute from the node that holds it", async () => {
    for (let minutesAgo = 0; minutesAgo < 15; minutesAgo++) {
      await lookups(cluster.client, "result", 3, 1, minutesAgo);
    }
    const keys = Array.from({ length: 15 }, (_, i) => hitCounterKey(epochMinute(NOW) - i));
    const owners = await Promise.all(
      cluster.servers.map(async (server) => {
        const node = cluster.client.nodes("master").find((n) => n.options.port === server.port)!;
        const held = await Promise.all(keys.map(async (key) => node.exists(key).catch(() => 0)));
        return held.some(Boolean);
      }),
    );
    expect(owners.filter(Boolean).length).toBeGreaterThan(1);
    const rates = await readNamespaceHitRates(CLUSTER, "15m", NOW);
    expect(summary(rates)).toEqual([{ namespace: "result", hits: 45, misses: 15, hitRate: 0.75 }]);
    expect(rates.namespaces[0]!.series.every((point) => point.hitRate === 0.75)).toBe(true);
  });
});

describe("the demo's traffic simulator", () => {
  it("records result and embedding lookups, which the console charts as two namespaces", async () => {
    const sim = startTraffic(traffic.server.url, { rate: 100 });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await sim.stop();
    const stats = sim.stats();
    const rates = await readNamespaceHitRates(TRAFFIC, "15m");
    expect(rates.enabled).toBe(true);
    const names = rates.namespaces.map((ns) => ns.namespace);
    expect(names).toEqual(expect.arrayContaining(["result", "cache:embeddings"]));
    const result = rates.namespaces.find((ns) => ns.namespace === "result")!;
    expect(result.hits + result.misses).toBe(stats.cacheLookups);
    expect(result.hits).toBe(stats.cacheHits);
    const embeddings = rates.namespaces.find((ns) => ns.namespace === "cache:embeddings")!;
    expect(embeddings.hits + embeddings.misses).toBeGreaterThan(0);
  });
});
