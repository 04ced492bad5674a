// npm run bench — every measured path through the console and through a plain ioredis script doing
// the same Redis work, in one run, against a private redis-server. Needs a build (made if missing).
import { execSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Redis from "ioredis";
import { parseInfo, summarizeInfo } from "@/lib/redis/info";
import { machine, table, time, type Row } from "@/bench/harness";
import { browserBenchmark } from "@/bench/browser";
import { liveBenchmarks } from "@/bench/live";
import { modelBenchmarks } from "@/bench/models";
import { seed } from "@/scripts/seed-data";
import { freePort, startRedisServer } from "@/scripts/lib/redis-server";

const RUNS = Number(process.env.BENCH_RUNS ?? 500);

async function waitForHealth(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`${url}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error("The console did not become healthy");
}

async function main(): Promise<void> {
  if (!existsSync(".next/standalone/server.js")) execSync("npm run build", { stdio: "inherit" });
  const redis = await startRedisServer();
  const client = new Redis(redis.url, { protocol: 2 });
  const seeding = Date.now();
  await seed(client, { scale: Number(process.env.BENCH_KEYS ?? 1_000_000) });
  console.log(`Seeded ${await client.dbsize()} keys in ${((Date.now() - seeding) / 1000).toFixed(1)} s.`);

  process.env.CONSOLE_SESSION_SECRET = randomBytes(32).toString("base64url");
  process.env.CONSOLE_ADMIN_PASSWORD = randomBytes(12).toString("base64url");
  process.env.CONSOLE_DATA_DIR = mkdtempSync(path.join(os.tmpdir(), "console-bench-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, [path.resolve(".next/standalone/server.js")], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      REDIS_URL: redis.url,
    },
    stdio: "ignore",
  });
  try {
    await waitForHealth(base);
    // A session for the admin, signed with the same secret the server was given.
    const { createSessionToken, SESSION_COOKIE } = await import("@/lib/auth/session");
    const cookie = `${SESSION_COOKIE}=${await createSessionToken("admin", "admin")}`;

    const rows: Row[] = [
      {
        name: "Overview snapshot (INFO → summary)",
        floor: await time(RUNS, async () => summarizeInfo([parseInfo(await client.info())], "standalone")),
        console: await time(RUNS, async () => {
          const response = await fetch(`${base}/api/overview`, { headers: { cookie } });
          if (!response.ok) throw new Error(`overview answered ${response.status}`);
          await response.json();
        }),
      },
      {
        name: "Health probe (PING)",
        floor: await time(RUNS, () => client.ping()),
        console: await time(RUNS, async () => {
          const response = await fetch(`${base}/api/health`);
          if (!response.ok) throw new Error(`health answered ${response.status}`);
          await response.json();
        }),
      },
      ...(await modelBenchmarks(client, base, cookie)),
    ];
    console.log(`\nMachine: ${machine()}; sequential requests, after warm-up.\n`);
    console.log(table(rows));
    console.log(`\n${await liveBenchmarks({ redisUrl: redis.url, base, cookie, consolePid: server.pid! })}`);
    console.log(
      `\n${await browserBenchmark({ redisUrl: redis.url, base, password: process.env.CONSOLE_ADMIN_PASSWORD! })}`,
    );
  } finally {
    server.kill("SIGTERM");
    client.disconnect();
    await redis.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
