import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type Redis from "ioredis";
import { checkHealth } from "@/lib/health";
import { closeMetricsSamplers } from "@/lib/metrics/samplers";
import { closeAllClients } from "@/lib/redis/registry";
import { freePort, type RedisServerHandle } from "@/scripts/lib/redis-server";
import { startTestRedis } from "@/tests/helpers/redis";

// lib/health: PING every connection; name the failing ones and nothing more.

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

describe("health", () => {
  it("names the failing connection and only that", async () => {
    configure([
      { id: "main", type: "standalone", url: server.url },
      { id: "offline", type: "standalone", url: `redis://127.0.0.1:${deadPort}` },
    ]);
    const report = await checkHealth();
    expect(report.ok).toBe(false);
    expect(report.connections.map((c) => [c.id, c.ok])).toEqual([
      ["main", true],
      ["offline", false],
    ]);
    expect(JSON.stringify(report)).not.toContain(String(deadPort));
  });

  it("is healthy when every connection answers PING", async () => {
    configure([{ id: "main", type: "standalone", url: server.url }]);
    expect((await checkHealth()).ok).toBe(true);
  });
});
