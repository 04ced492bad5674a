// npm run demo — the one-command demo: a private redis-server under .data/redis, seeded ML data,
// the traffic simulator, and the built console. Ctrl-C stops everything it started.
// It never connects to a Redis it did not start (REDIS_URL from the shell is ignored on purpose).
import { spawn, type ChildProcess } from "node:child_process";
import { randomInt } from "node:crypto";
import { existsSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import readline from "node:readline";
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import {
  REDIS_SERVER_MISSING_HELP,
  freePort,
  redisServerBinary,
  startRedisServer,
  type RedisServerHandle,
} from "./lib/redis-server";
import { BIG_MODEL_KEY, seed } from "./seed-data";
import { startTraffic, type TrafficHandle } from "./traffic-sim";

const ROOT = process.cwd();
const DATA_DIR = path.resolve(ROOT, ".data");
const USERS_FILE = path.join(DATA_DIR, "users.json");
const READY_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 10_000;

interface DemoOptions {
  traffic: boolean;
  reseed: boolean;
  scale?: number;
}

/** Everything the demo started, so shutdown can stop exactly that and nothing else. */
interface Running {
  redis?: Promise<RedisServerHandle>;
  traffic?: TrafficHandle;
  child?: ChildProcess;
  input?: readline.Interface;
}

const running: Running = {};
let shuttingDown = false;

function parseCli(): DemoOptions {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      "no-traffic": { type: "boolean", default: false },
      reseed: { type: "boolean", default: false },
      scale: { type: "string" },
    },
  });
  const scale = values.scale === undefined ? undefined : Number(values.scale.replaceAll("_", ""));
  if (scale !== undefined && (!Number.isInteger(scale) || scale < 0)) {
    throw new Error(`--scale must be a whole number, got "${values.scale}"`);
  }
  return { traffic: !values["no-traffic"], reseed: values.reseed === true, scale };
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

/** 16 characters without look-alikes (0/O, 1/l/I), so it can be read off a screen and typed. */
function generatePassword(): string {
  const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  return Array.from({ length: 16 }, () => alphabet[randomInt(alphabet.length)]).join("");
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

async function pickConsolePort(): Promise<number> {
  const requested = process.env.PORT;
  if (requested) {
    const port = Number(requested);
    if (!Number.isInteger(port) || port <= 0 || port === 6379) {
      throw new Error(`PORT=${requested} is not usable`);
    }
    if (!(await isPortFree(port))) throw new Error(`PORT=${port} is already in use`);
    return port;
  }
  return (await isPortFree(3000)) ? 3000 : freePort();
}

/** Re-seeding keeps model hashes that exist, so parameter edits made in the console survive a restart. */
async function seedDemoData(url: string, options: DemoOptions): Promise<void> {
  const started = Date.now();
  const redis = new Redis(url, { protocol: 2, connectionName: "demo-seed" });
  try {
    const seeded = (await redis.exists("linear_regression", BIG_MODEL_KEY)) === 2;
    const keep = seeded && !options.reseed;
    const summary = await seed(redis, { scale: options.scale, keepExistingModels: keep });
    const note = keep ? " (kept existing models; --reseed resets them)" : "";
    console.log(`Seeded ${summary.dbSize.toLocaleString("en-US")} keys in ${seconds(started)}${note}.`);
  } finally {
    redis.disconnect();
  }
}

function runToExit(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

async function buildIfMissing(): Promise<void> {
  const built = ["standalone/server.js", "BUILD_ID"].every((file) =>
    existsSync(path.join(ROOT, ".next", file)),
  );
  if (built) return;
  console.log("The console is not built yet: running `npm run build` (first run only)…");
  // Its own process group, so shutdown can stop npm and the Next compiler workers together.
  const build = spawn("npm", ["run", "build"], {
    cwd: ROOT,
    stdio: ["ignore", "inherit", "inherit"],
    detached: true,
  });
  running.child = build;
  const code = await runToExit(build);
  running.child = undefined;
  if (code !== 0 && !shuttingDown) throw new Error(`npm run build failed (exit ${code})`);
}

function startConsole(redisUrl: string, port: number, password: string): ChildProcess {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    REDIS_URL: redisUrl,
    HOST: "127.0.0.1",
    PORT: String(port),
    CONSOLE_DATA_DIR: DATA_DIR,
    CONSOLE_ADMIN_PASSWORD: password, // Through the environment: secrets never go in process arguments.
  };
  delete env.CONSOLE_STATE_URL; // The demo keeps its state in its own Redis, whatever the shell says.
  const child = spawn(process.execPath, [path.join(ROOT, "scripts", "start.mjs")], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "inherit", "inherit"],
    detached: true,
  });
  child.once("exit", (code) => {
    if (!shuttingDown) void shutdown(`The console exited (code ${code ?? "signal"}).`, 1);
  });
  return child;
}

/** Ready means /api/health says 200; a steady non-200 answer is reported instead of waited on forever. */
async function waitForHealth(port: number): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let unhealthySince: number | null = null;
  while (!shuttingDown) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/health`, {
        signal: AbortSignal.timeout(2000),
      });
      if (response.ok) return;
      unhealthySince ??= Date.now();
      if (Date.now() - unhealthySince > 10_000) {
        console.warn(`/api/health answers ${response.status}: ${await response.text()}`);
        return;
      }
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline)
      throw new Error(`The console did not answer /api/health within ${READY_TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function printBanner(
  port: number,
  redisUrl: string,
  password: string,
  passwordSource: "env" | "generated",
): void {
  // In English and in Chinese (issue 13): the console itself follows the browser's language.
  const lines = ["", `  Redis ML Console   http://127.0.0.1:${port}`];
  if (existsSync(USERS_FILE)) {
    const file = path.relative(ROOT, USERS_FILE);
    lines.push(`  Users come from ${file} (manage them with npm run user)`);
    lines.push(`  用户来自 ${file}（用 npm run user 管理）`);
  } else {
    const origin = passwordSource === "env" ? " (from CONSOLE_ADMIN_PASSWORD)" : "";
    const originZh = passwordSource === "env" ? "（来自 CONSOLE_ADMIN_PASSWORD）" : "";
    lines.push(`  Sign in as admin / ${password}${origin}`);
    lines.push(`  登录：用户名 admin，密码 ${password}${originZh}`);
  }
  lines.push(`  Redis              ${redisUrl} (private, data in .data/redis)`);
  lines.push(`                     私有实例，数据在 .data/redis`);
  lines.push("", "  Type t + Enter to stop/start the traffic simulator; Ctrl-C stops everything.");
  lines.push("  输入 t 并回车可停止/启动流量模拟器；按 Ctrl-C 全部停止。");
  lines.push("  The interface speaks English and 简体中文: switch in the side bar, under your name.");
  lines.push("  界面支持英文和简体中文：在侧栏用户名下方切换。", "");
  console.log(lines.join("\n"));
}

function startTrafficSim(url: string): TrafficHandle {
  return startTraffic(url, { log: (line) => console.log(`[traffic] ${line}`) });
}

function listenForToggle(url: string): readline.Interface {
  const input = readline.createInterface({ input: process.stdin });
  input.on("line", (line) => {
    if (line.trim().toLowerCase() !== "t" || shuttingDown) return;
    if (running.traffic) {
      const traffic = running.traffic;
      running.traffic = undefined;
      void traffic.stop().then(() => console.log("Traffic simulator stopped (t + Enter to start it again)."));
    } else {
      running.traffic = startTrafficSim(url);
      console.log("Traffic simulator started.");
    }
  });
  return input;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = runToExit(child);
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid ?? 0), signal); // The whole group: npm/start.mjs and the server under it.
    } catch {
      // Already gone.
    }
  };
  killGroup("SIGTERM");
  const timer = setTimeout(() => killGroup("SIGKILL"), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

/** Stops, in order, what depends on Redis and then Redis itself; safe to call more than once. */
async function shutdown(reason: string | null, code: number): Promise<never> {
  if (!shuttingDown) {
    shuttingDown = true;
    if (reason) console.error(reason);
    console.log("Stopping the demo…");
    running.input?.close();
    if (running.child) await stopChild(running.child);
    await running.traffic?.stop();
    // Awaiting the start too: a signal that lands while redis-server boots must still stop it.
    const redis = await running.redis?.catch(() => undefined);
    await redis?.stop();
    process.exit(code);
  }
  return new Promise<never>(() => undefined);
}

async function main(): Promise<void> {
  const started = Date.now();
  const options = parseCli();
  if (!redisServerBinary()) {
    console.error(REDIS_SERVER_MISSING_HELP);
    process.exit(1);
  }
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => void shutdown(null, 0));
  }
  // `kill <npm pid>` ends npm's shell wrapper without passing the signal on; when our parent goes
  // away we are re-parented, and stop rather than leave a console and a redis-server behind.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent && !shuttingDown) void shutdown("The demo's parent process ended.", 0);
  }, 1_000).unref();

  running.redis = startRedisServer({ dir: path.join(DATA_DIR, "redis") });
  const redis = await running.redis;
  if (shuttingDown) return;
  redis.process.once("exit", () => {
    // Ctrl-C reaches redis-server too (same process group); give our own SIGINT handler a moment to run first.
    setTimeout(() => {
      if (!shuttingDown) void shutdown("redis-server exited unexpectedly.", 1);
    }, 200);
  });
  console.log(`Started a private redis-server at ${redis.url}.`);

  // Chosen early so a busy PORT fails before a long first build, not after.
  const port = await pickConsolePort();
  await seedDemoData(redis.url, options);
  if (shuttingDown) return;
  if (options.traffic) running.traffic = startTrafficSim(redis.url);
  await buildIfMissing();
  // A Ctrl-C during the build must not be followed by a console nobody will stop.
  if (shuttingDown) return;

  const given = process.env.CONSOLE_ADMIN_PASSWORD;
  const password = given || generatePassword();
  running.child = startConsole(redis.url, port, password);
  await waitForHealth(port);
  if (shuttingDown) return;

  printBanner(port, redis.url, password, given ? "env" : "generated");
  console.log(`  Ready in ${seconds(started)}.`);
  running.input = listenForToggle(redis.url);
}

main().catch((error: unknown) => {
  void shutdown(`Demo failed: ${error instanceof Error ? error.message : String(error)}`, 1);
});
