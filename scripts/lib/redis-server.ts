// Starts and stops private redis-server processes for the demo, the tests and the benchmarks.
// Nothing here ever talks to a Redis it did not start.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import tls from "node:tls";

export interface RedisServerHandle {
  port: number;
  url: string;
  process: ChildProcess;
  stop: () => Promise<void>;
}

export interface StartRedisOptions {
  port?: number;
  /** Folder for the RDB/AOF files; with none, nothing is persisted. */
  dir?: string;
  extraArgs?: string[];
  /** Serve TLS only (`--port 0`, `--tls-port`): for the tests that prove certificate checks. */
  tls?: TlsServerFiles;
}

export interface TlsServerFiles {
  certFile: string;
  keyFile: string;
  caFile: string;
  /** `--tls-auth-clients yes`: a client must show a certificate signed by `caFile`. */
  authClients?: boolean;
  /** The certificate and key the readiness probe shows when clients must authenticate. */
  clientCertFile?: string;
  clientKeyFile?: string;
}

/** Where freePort records the ports it handed out, for every process of this machine. */
const CLAIMS = path.join(os.tmpdir(), "redis-ml-console-ports");
/** How long a port handed out stays off limits: longer than a whole test run keeps a server down. */
export const PORT_CLAIM_MS = 30 * 60_000;

/**
 * Records that this process hands `port` out; false when some process did so within PORT_CLAIM_MS.
 * A test that kills a server (a Sentinel failover) must find its port dead, not reused by a server
 * another test file started meanwhile, which the OS's next free port can be.
 */
export function claimPort(port: number, now = Date.now(), dir = CLAIMS): boolean {
  const file = path.join(dir, String(port));
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, String(process.pid), { flag: "wx" });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") return true; // cannot record: do not block
  }
  try {
    if (now - statSync(file).mtimeMs < PORT_CLAIM_MS) return false;
    writeFileSync(file, String(process.pid)); // an old claim: this one replaces it
    return true;
  } catch {
    return true;
  }
}

/** A port nobody listens on and no process of this machine was handed in the last PORT_CLAIM_MS. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = await unusedPort();
    if (claimPort(port)) return port;
  }
  return unusedPort();
}

/** Asks the OS for a port nobody listens on. */
function unusedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function redisServerBinary(): string | null {
  const binary = process.env.REDIS_SERVER_BIN ?? "redis-server";
  const probe = spawnSync(binary, ["--version"], { encoding: "utf8" });
  return probe.status === 0 ? binary : null;
}

export const REDIS_SERVER_MISSING_HELP = [
  "redis-server was not found on PATH.",
  "  Debian/Ubuntu:  sudo apt-get install redis-server",
  "  macOS:          brew install redis",
  "  Docker:         docker run -d -p 6379:6379 redis:7   (then set REDIS_URL=redis://127.0.0.1:6379)",
  "Or point the console at a Redis you already run: REDIS_URL=redis://host:port npm start",
  "(set REDIS_SERVER_BIN if redis-server lives elsewhere)",
].join("\n");

type Connect = (port: number) => net.Socket;

const plainConnect: Connect = (port) => net.connect(port, "127.0.0.1");

/** The readiness probe of a TLS-only server: it checks that the server answers, not who it is. */
function tlsConnect(files: TlsServerFiles): Connect {
  const cert = files.clientCertFile ? readFileSync(files.clientCertFile) : undefined;
  const key = files.clientKeyFile ? readFileSync(files.clientKeyFile) : undefined;
  return (port) => tls.connect({ port, host: "127.0.0.1", rejectUnauthorized: false, cert, key });
}

function waitForPing(port: number, timeoutMs: number, connect: Connect = plainConnect): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = connect(port);
      let answer = "";
      socket.setTimeout(500);
      socket.on(socket instanceof tls.TLSSocket ? "secureConnect" : "connect", () =>
        socket.write("PING\r\n"),
      );
      socket.on("data", (chunk) => {
        answer += chunk.toString();
        if (answer.includes("PONG")) {
          socket.destroy();
          resolve();
        } else if (answer.includes("LOADING")) {
          socket.destroy();
          retry();
        }
      });
      socket.on("error", retry);
      socket.on("timeout", () => {
        socket.destroy();
        retry();
      });
    };
    const retry = () => {
      if (Date.now() > deadline) reject(new Error(`redis-server on port ${port} did not answer PING`));
      else setTimeout(attempt, 50);
    };
    attempt();
  });
}

function tlsArgs(files: TlsServerFiles): string[] {
  return [
    ...["--tls-cert-file", files.certFile, "--tls-key-file", files.keyFile],
    ...["--tls-ca-cert-file", files.caFile, "--tls-auth-clients", files.authClients ? "yes" : "no"],
  ];
}

export async function startRedisServer(options: StartRedisOptions = {}): Promise<RedisServerHandle> {
  const binary = redisServerBinary();
  if (!binary) throw new Error(REDIS_SERVER_MISSING_HELP);
  const port = options.port ?? (await freePort());
  const args = options.tls
    ? ["--port", "0", "--tls-port", String(port), ...tlsArgs(options.tls)]
    : ["--port", String(port)];
  args.push("--bind", "127.0.0.1", "--protected-mode", "yes");
  if (options.dir) {
    mkdirSync(options.dir, { recursive: true });
    args.push("--dir", options.dir, "--appendonly", "yes", "--save", "60 1000");
  } else {
    args.push("--save", "", "--appendonly", "no");
  }
  args.push(...(options.extraArgs ?? []));
  const child = spawn(binary, args, { stdio: ["ignore", "ignore", "inherit"] });
  let exited = false;
  const exitPromise = new Promise<void>((resolve) =>
    child.once("exit", () => {
      exited = true;
      resolve();
    }),
  );
  try {
    await Promise.race([
      waitForPing(port, 10_000, options.tls ? tlsConnect(options.tls) : plainConnect),
      exitPromise.then(() => {
        throw new Error(`redis-server exited while starting on port ${port}`);
      }),
    ]);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return {
    port,
    url: `${options.tls ? "rediss" : "redis"}://127.0.0.1:${port}`,
    process: child,
    stop: async () => {
      if (exited) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exitPromise;
      clearTimeout(timer);
    },
  };
}
