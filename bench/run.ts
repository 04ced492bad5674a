// npm run bench — every measured path through the console and through a plain ioredis script doing
// the same Redis work, in one run, against a private redis-server. Needs a build (made if missing).
//   BENCH_SERVER=path/to/server.js  another standalone build (e.g. a copy, while the tree rebuilds)
//   BENCH_ONLY=core,models,live,browser,tabs,cache,cluster  some groups only (default: all);
//     BENCH_ONLY=viewers  only the Redis work of 1 and 20 open pages (bench/info-load.ts), which
//     "cache" also runs after the keys and flush benchmarks
//   BENCH_KEYS=1000000  keys seeded; BENCH_RUNS=500  timed requests per row
//   BENCH_FLUSH_KEYS=500000, BENCH_INFO_SECONDS=30  the cache group's flush size and INFO window
//   BENCH_INFO_PAGES=cache  the viewers count for the Cache page only (default: Overview and Cache)
import { execSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Redis from "ioredis";
import { parseInfo, summarizeInfo } from "@/lib/redis/info";
import { machine, table, time, type Row } from "@/bench/harness";
import { browserBenchmark } from "@/bench/browser";
import { tabsBenchmark } from "@/bench/tabs";
import { cacheBenchmarks } from "@/bench/cache";
import { infoLoadBenchmark } from "@/bench/info-load";
import { liveBenchmarks } from "@/bench/live";
import { modelBenchmarks } from "@/bench/models";
import { seed } from "@/scripts/seed-data";
import { freePort, startRedisServer } from "@/scripts/lib/redis-server";

const RUNS = Number(process.env.BENCH_RUNS ?? 500);
const DEFAULT_SERVER = ".next/standalone/server.js";
const SERVER_JS = path.resolve(process.env.BENCH_SERVER ?? DEFAULT_SERVER);
const GROUPS = ["core", "models", "live", "browser", "tabs", "cache", "viewers", "cluster"] as const;
type Group = (typeof GROUPS)[number];

function selectedGroups(): Set<Group> {
  const asked = process.env.BENCH_ONLY?.split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  if (!asked?.length) return new Set(GROUPS);
  const unknown = asked.filter((name) => !(GROUPS as readonly string[]).includes(name));
  if (unknown.length)
    throw new Error(`BENCH_ONLY: unknown group ${unknown.join(", ")}; known: ${GROUPS.join(", ")}`);
  return new Set(asked as Group[]);
}

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

/** A stored session for the admin, signed with the secret the server was given, as sign-in makes one. */
async function adminCookie(): Promise<string> {
  const { createSessionToken, SESSION_COOKIE } = await import("@/lib/auth/session");
  const { createStoredSession } = await import("@/lib/auth/session-store");
  const { findUser } = await import("@/lib/auth/users");
  const admin = (await findUser("admin"))!;
  const id = await createStoredSession({
    username: "admin",
    role: "admin",
    credential: admin.credential,
    address: "127.0.0.1",
    maxAgeMs: 8 * 3600_000,
  });
  return `${SESSION_COOKIE}=${await createSessionToken("admin", "admin", id)}`;
}

/**
 * What the stored-session check adds to every signed-in request: the check itself (one EVALSHA,
 * in this process, against the same Redis) beside a bare HMGET of the same hash.
 */
async function sessionCheckRow(client: Redis): Promise<Row> {
  const { createStoredSession, readStoredSession } = await import("@/lib/auth/session-store");
  const id = await createStoredSession({
    username: "bench",
    role: "viewer",
    credential: "bench",
    address: "127.0.0.1",
    maxAgeMs: 3600_000,
  });
  return {
    name: "Session check per signed-in request (EVALSHA)",
    floor: await time(RUNS, () => client.hmget(`__console:session:${id}`, "user", "role", "pw", "seen")),
    console: await time(RUNS, () => readStoredSession(id)),
    target: "< 0.3 ms p50 added",
  };
}

async function main(): Promise<void> {
  const groups = selectedGroups();
  if (!existsSync(SERVER_JS)) {
    if (process.env.BENCH_SERVER) throw new Error(`BENCH_SERVER: no ${SERVER_JS}`);
    execSync("npm run build", { stdio: "inherit" });
  }
  const redis = await startRedisServer();
  // lib/ code run in this process (bench/keys.ts) must reach the private server, never a default.
  process.env.REDIS_URL = redis.url;
  const client = new Redis(redis.url, { protocol: 2 });
  const seeding = Date.now();
  await seed(client, { scale: Number(process.env.BENCH_KEYS ?? 1_000_000) });
  console.log(`Seeded ${await client.dbsize()} keys in ${((Date.now() - seeding) / 1000).toFixed(1)} s.`);

  process.env.CONSOLE_SESSION_SECRET = randomBytes(32).toString("base64url");
  process.env.CONSOLE_ADMIN_PASSWORD = randomBytes(12).toString("base64url");
  process.env.CONSOLE_DATA_DIR = mkdtempSync(path.join(os.tmpdir(), "console-bench-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, [SERVER_JS], {
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
    const cookie = await adminCookie();

    const rows: Row[] = [];
    if (groups.has("core")) {
      rows.push(
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
        await sessionCheckRow(client),
      );
    }
    if (groups.has("models")) rows.push(...(await modelBenchmarks(client, base, cookie, SERVER_JS)));
    console.log(`\nMachine: ${machine()}; sequential requests, after warm-up.\n`);
    if (rows.length) console.log(table(rows));
    if (groups.has("live")) {
      console.log(
        `\n${await liveBenchmarks({ redisUrl: redis.url, base, cookie, consolePid: server.pid! })}`,
      );
    }
    if (groups.has("browser")) {
      console.log(
        `\n${await browserBenchmark({ redisUrl: redis.url, base, password: process.env.CONSOLE_ADMIN_PASSWORD! })}`,
      );
    }
    if (groups.has("tabs")) {
      console.log(
        `\n${await tabsBenchmark({ redisUrl: redis.url, base, password: process.env.CONSOLE_ADMIN_PASSWORD! })}`,
      );
    }
    if (groups.has("cache")) {
      console.log(
        `\n${await cacheBenchmarks({ client, redisUrl: redis.url, base, cookie, serverJs: SERVER_JS })}`,
      );
    } else if (groups.has("viewers")) {
      console.log(`\n${await infoLoadBenchmark({ base, cookie, redisUrl: redis.url })}`);
    }
  } finally {
    server.kill("SIGTERM");
    client.disconnect();
    await redis.stop();
  }
  // A cluster of its own (bench/cluster.ts), in a process of its own, once the rest has stopped.
  if (groups.has("cluster")) await runChild("bench/cluster.ts");
}

function runChild(script: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", script], {
      stdio: "inherit",
    });
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${script} exited with ${code}`)),
    );
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
