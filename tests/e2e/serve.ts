// One e2e worker's servers (tests/e2e/stack.ts starts one per Playwright worker): a private
// redis-server with seed data and the standalone build (`node .next/standalone/server.js`, the same
// artefact Docker runs) in front, on the ports in E2E_PORT and E2E_REDIS_PORT. A second instance of
// the same build listens on E2E_PORT_B against the same Redis, users and session secret, each with
// a data folder of its own, as two instances behind a load balancer (instances.spec.ts).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import Redis from "ioredis";
import { seed } from "@/scripts/seed-data";
import { startRedisServer, type RedisServerHandle } from "@/scripts/lib/redis-server";
import { consoleEnv, e2eUsersJson, newSessionSecret } from "@/tests/e2e/console-env";

const redisServers: RedisServerHandle[] = [];
const instances: ChildProcess[] = [];
let stopping = false;

/** Stops what was started, the consoles first, and waits for each: nothing outlives this process. */
async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.all(
    instances.map(
      (instance) =>
        new Promise<void>((resolve) => {
          if (instance.exitCode !== null || instance.signalCode !== null) return resolve();
          const timer = setTimeout(() => instance.kill("SIGKILL"), 5_000);
          instance.once("exit", () => {
            clearTimeout(timer);
            resolve();
          });
          instance.kill("SIGTERM");
        }),
    ),
  );
  await Promise.all(redisServers.map((server) => server.stop()));
  process.exit(code);
}

async function main(): Promise<void> {
  const port = Number(process.env.E2E_PORT);
  const portB = Number(process.env.E2E_PORT_B);
  const redisPort = Number(process.env.E2E_REDIS_PORT);
  const deadPort = Number(process.env.E2E_DEAD_PORT);
  const metricsPort = Number(process.env.E2E_METRICS_REDIS_PORT);
  const server = path.resolve(".next/standalone/server.js");
  if (!existsSync(server)) throw new Error("Build first: npm run build");
  process.on("SIGTERM", () => void stop(0));
  process.on("SIGINT", () => void stop(0));
  // Started by a Playwright worker: its end, even a killed one, closes this channel.
  process.on("disconnect", () => void stop(0));

  const redis = await startRedisServer({ port: redisPort, extraArgs: ["--maxmemory", "256mb"] });
  redisServers.push(redis);
  const client = new Redis(redis.url, { protocol: 2 });
  await seed(client);
  await client.select(1);
  await client.set("analytics:daily_active", "1234");
  client.disconnect();
  // A server only the hit-rate test reads from, so its keyspace counters hold that test's traffic alone.
  const metricsRedis = await startRedisServer({ port: metricsPort });
  redisServers.push(metricsRedis);

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
  for (const listenOn of [port, portB]) {
    const instance = spawn(process.execPath, [server], {
      env: consoleEnv(listenOn, shared),
      stdio: "inherit",
    });
    instances.push(instance);
    // Either instance ending ends the run: the suite needs both.
    instance.on("exit", (code) => void stop(code ?? 1));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  void stop(1);
});
