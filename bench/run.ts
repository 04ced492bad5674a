// npm run bench — every measured path through the console and through a plain ioredis script doing
// the same Redis work, in one run, against a private redis-server; the HTTP rows (core, models) also
// through bare Next route handlers and bare node:http doing the same work (bench/floors.ts). Needs
// a build of the console and of bench/floor (each made if missing).
//   BENCH_SERVER=path/to/server.js  another standalone build (e.g. a copy, while the tree rebuilds)
//   BENCH_ONLY=core,models,live,browser,tabs,cache,keyspage,cluster  some groups only (default: all);
//     BENCH_ONLY=viewers  only the Redis work of 1 and 20 open pages (bench/info-load.ts), which
//     "cache" also runs after the keys and flush benchmarks; BENCH_ONLY=flush  only the flushes
//   BENCH_KEYS=1000000  keys seeded; BENCH_RUNS=500  timed requests per row; BENCH_WARMUP=1000  requests
//     to each column of an HTTP row before it is timed (at most 20 s)
//   BENCH_THROUGHPUT_SECONDS=5  how long each server is loaded by 16 clients for the throughput row
//   BENCH_FLUSH_KEYS=500000, BENCH_INFO_SECONDS=30  the cache group's flush size and INFO window
//   BENCH_KEYSPAGE_RUNS=20  navigations to the keys page; BENCH_IDLE_SECONDS=60  quiet time before the last RSS
//   BENCH_INFO_PAGES=cache  the viewers count for the Cache page only (default: Overview and Cache)
import { execSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Redis from "ioredis";
import { machine, table, type Row } from "@/bench/harness";
import { coreCases, sessionCheckRows } from "@/bench/core";
import { buildFloorAppIfStale, startFloors, waitForHealth, type Floors } from "@/bench/floors";
import { httpTable, measureHttp, throughputTable, type HttpCase } from "@/bench/http-rows";
import { browserBenchmark } from "@/bench/browser";
import { tabsBenchmark } from "@/bench/tabs";
import { cacheBenchmarks } from "@/bench/cache";
import { flushBenchmark } from "@/bench/flush";
import { keysPageBenchmark } from "@/bench/keys-browser";
import { serverMemory } from "@/bench/memory";
import { infoLoadBenchmark } from "@/bench/info-load";
import { liveBenchmarks } from "@/bench/live";
import { modelCases, seedModelCases } from "@/bench/models";
import { seed } from "@/scripts/seed-data";
import { freePort, startRedisServer } from "@/scripts/lib/redis-server";

const DEFAULT_SERVER = ".next/standalone/server.js";
const SERVER_JS = path.resolve(process.env.BENCH_SERVER ?? DEFAULT_SERVER);
const GROUPS = [
  "core",
  "models",
  "live",
  "browser",
  "tabs",
  "cache",
  "viewers",
  "flush",
  "keyspage",
  "cluster",
] as const;
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

async function main(): Promise<void> {
  const groups = selectedGroups();
  if (!existsSync(SERVER_JS)) {
    if (process.env.BENCH_SERVER) throw new Error(`BENCH_SERVER: no ${SERVER_JS}`);
    execSync("npm run build", { stdio: "inherit" });
  }
  if (groups.has("core") || groups.has("models")) buildFloorAppIfStale();
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
  let floors: Floors | null = null;
  try {
    await waitForHealth(base);
    // A session for the admin, signed with the same secret the server was given.
    const cookie = await adminCookie();

    const rows: Row[] = [];
    const cases: HttpCase[] = [];
    if (groups.has("core")) {
      cases.push(...(await coreCases(client, base, cookie)));
      rows.push(...(await sessionCheckRows(client)));
    }
    if (groups.has("models")) {
      await seedModelCases(client);
      cases.push(...modelCases(client, base, cookie, SERVER_JS));
    }
    console.log(`\nMachine: ${machine()}; sequential requests, keep-alive, after warm-up; times in ms.\n`);
    if (cases.length) {
      // The HTTP floors (bench/floor): bare Next route handlers and bare node:http, same Redis work.
      floors = await startFloors(redis.url);
      console.log(httpTable(await measureHttp(cases, floors, server.pid!)));
      if (groups.has("core")) console.log(`\n${await throughputTable(base, cookie, floors)}`);
      floors.stop();
      floors = null;
    }
    if (rows.length) console.log(`\n${table(rows)}`);
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
    } else {
      if (groups.has("viewers"))
        console.log(`\n${await infoLoadBenchmark({ base, cookie, redisUrl: redis.url })}`);
      if (groups.has("flush")) {
        const flush = await flushBenchmark({
          client,
          redisUrl: redis.url,
          base,
          cookie,
          serverJs: SERVER_JS,
        });
        console.log(
          [
            "\n| flush | plain ioredis | console | ratio | target | met? |",
            "| --- | --- | --- | --- | --- | --- |",
            ...flush.rows,
            "",
            ...flush.notes,
          ].join("\n"),
        );
      }
    }
    if (groups.has("keyspage")) {
      const password = process.env.CONSOLE_ADMIN_PASSWORD!;
      console.log(`\n${await keysPageBenchmark({ base, password, dbSize: await client.dbsize() })}`);
    }
    // `server` runs server.js itself (no wrapper script), so its pid is the console's.
    console.log(`\n${await serverMemory(server.pid!)}`);
  } finally {
    floors?.stop();
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

// Exit when done: lib/ clients opened in this process (the session rows) would otherwise keep
// reconnecting to the stopped redis-server, and the run would never end.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
