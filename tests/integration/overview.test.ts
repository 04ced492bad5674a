import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type Redis from "ioredis";
import { closeMetricsSamplers } from "@/lib/metrics/samplers";
import { getOverview } from "@/lib/overview";
import { parseInfo, parseKeyspace } from "@/lib/redis/info";
import { closeAllClients } from "@/lib/redis/registry";
import { freePort, startRedisServer, type RedisServerHandle } from "@/scripts/lib/redis-server";
import { startTestRedis } from "@/tests/helpers/redis";

// lib/overview: the Overview's INFO snapshot of a connection, and a connection that is down.

let server: RedisServerHandle;
let checker: Redis;
let deadPort: number;

function configure(connections: object[]) {
  process.env.CONSOLE_CONNECTIONS = JSON.stringify(connections);
}

beforeAll(async () => {
  ({ server, client: checker } = await startTestRedis());
  deadPort = await freePort();
});

afterEach(async () => {
  // The overview starts the connection's metrics sampler; it must not outlive the test's connections.
  await closeMetricsSamplers();
  await closeAllClients();
  delete process.env.CONSOLE_CONNECTIONS;
});

afterAll(async () => {
  checker.disconnect();
  await server.stop();
});

describe("overview", () => {
  it("reports the same version and keys per database as INFO read by another client", async () => {
    await checker.mset("result:1", "1", "result:2", "4");
    await checker.select(3);
    await checker.set("model:x:v1", "y", "EX", 600);
    await checker.select(0);
    configure([{ id: "main", type: "standalone", url: server.url }]);

    const overview = await getOverview("main");
    const info = parseInfo(await checker.info());
    expect(overview.version).toBe(info.server?.redis_version);
    expect(overview.mode).toBe("standalone");
    expect(overview.keyspace).toEqual(parseKeyspace(info.keyspace));
    expect(overview.keyspace).toContainEqual({ db: 3, keys: 1, expires: 1 });
    expect(overview.connection).toEqual({
      id: "main",
      name: "main",
      address: `redis://127.0.0.1:${server.port}/0`,
    });
  });

  it("says which connection is down, quickly, instead of hanging", async () => {
    configure([
      { id: "offline", name: "Offline box", type: "standalone", url: `redis://127.0.0.1:${deadPort}` },
    ]);
    const started = Date.now();
    await expect(getOverview("offline")).rejects.toMatchObject({
      code: "UNAVAILABLE",
      message: expect.stringContaining('Connection "Offline box" is not answering'),
    });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("recovers by itself when Redis comes back on the same address", async () => {
    const flaky = await startRedisServer();
    configure([{ id: "flaky", type: "standalone", url: flaky.url }]);
    await expect(getOverview("flaky")).resolves.toMatchObject({ mode: "standalone" });
    await flaky.stop();
    // Within a few seconds at most: the figures may come from the sampler's INFO of a moment ago.
    await expect
      .poll(
        async () =>
          getOverview("flaky").then(
            () => "answering",
            (error: { code?: string }) => error.code,
          ),
        {
          timeout: 5_000,
          interval: 100,
        },
      )
      .toBe("UNAVAILABLE");
    const back = await startRedisServer({ port: flaky.port });
    try {
      await expect
        .poll(async () => (await getOverview("flaky").catch(() => null))?.mode, {
          timeout: 15_000,
          interval: 250,
        })
        .toBe("standalone");
    } finally {
      await back.stop();
    }
  });
});
