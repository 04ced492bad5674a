// The two HTTP floors of `npm run bench` (issue 15), started beside the console against the bench's
// private redis-server and stopped after: the framework floor (bare Next route handlers of the same
// Next version, built standalone from bench/floor, built here when missing or stale) and the
// physical floor (a bare node:http server, bench/floor/http-server.ts). Both serve the same paths
// as the console and do the same Redis work (bench/floor/work.ts).
import { execSync, spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { freePort } from "@/scripts/lib/redis-server";

const FLOOR_APP = path.resolve("bench/floor");
/** Standalone output mirrors the app's place under outputFileTracingRoot (the repository root). */
export const FLOOR_SERVER_JS = path.join(FLOOR_APP, ".next/standalone/bench/floor/server.js");
/** The sources the build was made from (buildStamp). */
const STAMP = path.join(FLOOR_APP, ".next/bench-floor-stamp");

export interface Floors {
  /** Bare Next route handlers. */
  next: string;
  /** Bare node:http. */
  http: string;
  /** The two servers' processes (their CPU time per request is read from /proc). */
  pids: { next: number; http: number };
  stop: () => void;
}

/** Waits until GET <base>/api/health answers 200, or the child has exited. */
export async function waitForHealth(base: string, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`${base}: the server exited (${child.exitCode})`);
    const ok = await fetch(`${base}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${base} did not become healthy`);
}

/** Source files under `dir`, its own .next left out. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const child = path.join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name === ".next" || entry.name === "node_modules" ? [] : sources(child);
    // next-env.d.ts is written by the build itself.
    return /\.(ts|tsx|mjs|json)$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [child] : [];
  });
}

/**
 * What the build was made from: the Next version and the floor's sources with lib/ (whose pure
 * shaping functions the floor imports). The node:http floor runs the sources as they are, so the
 * Next floor is rebuilt whenever they change: the two floors always do the same work.
 */
function buildStamp(): string {
  const hash = createHash("sha1").update(readFileSync("node_modules/next/package.json"));
  for (const file of [...sources(FLOOR_APP), ...sources(path.resolve("lib"))].sort()) {
    hash.update(file).update(readFileSync(file));
  }
  return hash.digest("hex");
}

/** Builds bench/floor when it has no build, or one made from other sources or another Next version. */
export function buildFloorAppIfStale(): void {
  const stamp = buildStamp();
  if (existsSync(FLOOR_SERVER_JS) && existsSync(STAMP) && readFileSync(STAMP, "utf8") === stamp) return;
  console.log("Building the framework floor (bench/floor) …");
  execSync("npx next build", { cwd: FLOOR_APP, stdio: ["ignore", "ignore", "inherit"] });
  writeFileSync(STAMP, stamp);
}

async function startServer(args: string[], redisUrl: string): Promise<{ base: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, args, {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      REDIS_URL: redisUrl,
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(base, child);
  } catch (error) {
    child.kill("SIGTERM");
    throw error;
  }
  return { base, child };
}

export async function startFloors(redisUrl: string): Promise<Floors> {
  buildFloorAppIfStale();
  const next = await startServer([FLOOR_SERVER_JS], redisUrl);
  const http = await startServer(
    ["--import", "tsx", "--conditions=react-server", "bench/floor/http-server.ts"],
    redisUrl,
  ).catch((error: unknown) => {
    next.child.kill("SIGTERM");
    throw error;
  });
  return {
    next: next.base,
    http: http.base,
    pids: { next: next.child.pid!, http: http.child.pid! },
    stop: () => {
      next.child.kill("SIGTERM");
      http.child.kill("SIGTERM");
    },
  };
}
