// One Playwright worker's own servers: tests/e2e/serve.ts (the seeded redis-server, the "metrics"
// one and the two console instances) on ports picked here. Workers share nothing a test changes:
// maxmemory, the slow log threshold, users, sessions, sign-in limits, what MONITOR sees.
import { spawn } from "node:child_process";
import { freePort } from "@/scripts/lib/redis-server";

export interface E2EStack {
  /** Console instance A, the suite's baseURL. */
  port: number;
  /** Console instance B: the same Redis, users and secret (instances.spec.ts). */
  portB: number;
  redisPort: number;
  /** The "metrics" connection's redis-server, read only by metrics.spec.ts. */
  metricsRedisPort: number;
  /** The "offline" connection's port: nothing listens there. */
  deadPort: number;
  baseURL: string;
  /** The same ports as E2E_* variables, as serve.ts and the helpers read them. */
  env: Record<string, string>;
  stop: () => Promise<void>;
}

/**
 * Ports nobody listens on, none handed out to any other test process lately (scripts/lib's claims):
 * the "offline" connection's port must stay dead while the other worker's stack starts its servers.
 */
async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  for (let i = 0; i < count; i++) ports.push(await freePort());
  return ports;
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(5_000) })).status === 200;
  } catch {
    return false;
  }
}

async function startOnce(): Promise<E2EStack> {
  const [port, portB, redisPort, metricsRedisPort, deadPort] = (await freePorts(5)) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const env = {
    E2E_PORT: String(port),
    E2E_PORT_B: String(portB),
    E2E_REDIS_PORT: String(redisPort),
    E2E_METRICS_REDIS_PORT: String(metricsRedisPort),
    E2E_DEAD_PORT: String(deadPort),
  };
  // The IPC channel closes when this worker dies, however it dies: serve.ts then stops it all.
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=react-server", "tests/e2e/serve.ts"],
    { env: { ...process.env, ...env }, stdio: ["ignore", "inherit", "inherit", "ipc"] },
  );
  let exitedWith: string | null = null;
  const exited = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      exitedWith = String(code ?? signal);
      resolve();
    }),
  );
  const stop = async () => {
    if (exitedWith === null) child.kill("SIGTERM");
    await exited;
  };
  const baseURL = `http://127.0.0.1:${port}`;
  try {
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (exitedWith !== null) throw new Error(`tests/e2e/serve.ts exited (${exitedWith}) while starting`);
      if ((await answers(`${baseURL}/login`)) && (await answers(`http://127.0.0.1:${portB}/login`))) break;
      if (Date.now() > deadline) throw new Error("The e2e consoles did not answer /login within 90 s");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, portB, redisPort, metricsRedisPort, deadPort, baseURL, env, stop };
}

/**
 * Starts this worker's stack. The other worker picks its ports at the same moment, and a port may
 * be taken between picking and binding: then the start fails, and is tried again on fresh ports.
 */
export async function startStack(attempts = 3): Promise<E2EStack> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce();
    } catch (error) {
      if (attempt >= attempts) throw error;
      console.error(`e2e stack: ${String(error)}; again on other ports`);
    }
  }
}
