// Playwright's web server for the e2e suite: a private redis-server with seed data and the
// standalone build (`node .next/standalone/server.js`, the same artefact Docker runs) in front.
// Ports come from playwright.config.ts through E2E_PORT and E2E_REDIS_PORT. A second instance of
// the same build listens on E2E_PORT_B against the same Redis, users and session secret, each with
// a data folder of its own, as two instances behind a load balancer (instances.spec.ts).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import Redis from "ioredis";
import { seed } from "@/scripts/seed-data";
import { startRedisServer } from "@/scripts/lib/redis-server";
import { consoleEnv, e2eUsersJson, newSessionSecret } from "@/tests/e2e/console-env";

async function main(): Promise<void> {
  const port = Number(process.env.E2E_PORT);
  const portB = Number(process.env.E2E_PORT_B);
  const redisPort = Number(process.env.E2E_REDIS_PORT);
  const deadPort = Number(process.env.E2E_DEAD_PORT);
  const metricsPort = Number(process.env.E2E_METRICS_REDIS_PORT);
  const server = path.resolve(".next/standalone/server.js");
  if (!existsSync(server)) throw new Error("Build first: npm run build");

  const redis = await startRedisServer({ port: redisPort, extraArgs: ["--maxmemory", "256mb"] });
  const client = new Redis(redis.url, { protocol: 2 });
  await seed(client);
  await client.select(1);
  await client.set("analytics:daily_active", "1234");
  client.disconnect();
  // A server only the hit-rate test reads from, so its keyspace counters hold that test's traffic alone.
  const metricsRedis = await startRedisServer({ port: metricsPort });

  const shared = {
    secret: newSessionSecret(),
    users: await e2eUsersJson(),
    connections: [
      { id: "primary", name: "primary", type: "standalone", url: redis.url },
      { id: "analytics", name: "analytics", type: "standalone", url: `${redis.url}/1` },
      { id: "metrics", name: "metrics", type: "standalone", url: metricsRedis.url },
      { id: "offline", name: "offline", type: "standalone", url: `redis://127.0.0.1:${deadPort}` },
    ],
  };
  const start = (listenOn: number): ChildProcess =>
    spawn(process.execPath, [server], { env: consoleEnv(listenOn, shared), stdio: "inherit" });
  const instances = [start(port), start(portB)];
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const instance of instances) instance.kill("SIGTERM");
    await Promise.all([redis.stop(), metricsRedis.stop()]);
    process.exit(code);
  };
  process.on("SIGTERM", () => void stop(0));
  process.on("SIGINT", () => void stop(0));
  // Either instance ending ends the run: the suite needs both.
  for (const instance of instances) instance.on("exit", (code) => void stop(code ?? 1));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
