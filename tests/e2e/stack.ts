// One Playwright worker's own servers: tests/e2e/serve.ts (the seeded redis-server, the "metrics"
// one and the two console instances) on ports picked here. Workers share nothing a test changes:
// maxmemory, the slow log threshold, users, sessions, sign-in limits, what MONITOR sees.
import { spawn } from "node:child_process";
import net from "node:net";

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

/** Ports nobody listens on, held open together so that no two of them are the same. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<net.Server>((resolve, reject) => {
          const server = net.createServer();
          server.on("error", reject);
          server.listen(0, "127.0.0.1", () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as net.AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
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
