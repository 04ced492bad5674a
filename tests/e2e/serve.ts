// Playwright's web server for the e2e suite: a private redis-server with seed data and the
// standalone build (`node .next/standalone/server.js`, the same artefact Docker runs) in front.
// Ports come from playwright.config.ts through E2E_PORT and E2E_REDIS_PORT. A second instance of
// the same build listens on E2E_PORT_B against the same Redis, users and session secret, each with
// a data folder of its own, as two instances behind a load balancer (instances.spec.ts).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Redis from "ioredis";
import { hashPassword } from "@/lib/auth/password";
import { seed } from "@/scripts/seed-data";
import { startRedisServer } from "@/scripts/lib/redis-server";
import { E2E_USERS } from "@/tests/e2e/users";

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

  const users = await Promise.all(
    Object.values(E2E_USERS).map(async ({ username, password, role }) => ({
      username,
      role,
      passwordHash: await hashPassword(password),
    })),
  );
  const env = {
    ...process.env,
    NODE_ENV: "production" as const,
    HOSTNAME: "127.0.0.1",
    CONSOLE_SESSION_SECRET: randomBytes(48).toString("base64url"),
    CONSOLE_USERS: JSON.stringify(users),
    CONSOLE_CONNECTIONS: JSON.stringify([
      { id: "primary", name: "primary", type: "standalone", url: redis.url },
      { id: "analytics", name: "analytics", type: "standalone", url: `${redis.url}/1` },
      { id: "metrics", name: "metrics", type: "standalone", url: metricsRedis.url },
      { id: "offline", name: "offline", type: "standalone", url: `redis://127.0.0.1:${deadPort}` },
    ]),
  };
  const start = (listenOn: number): ChildProcess =>
    spawn(process.execPath, [server], {
      env: {
        ...env,
        PORT: String(listenOn),
        CONSOLE_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), "console-e2e-")),
      },
      stdio: "inherit",
    });
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
