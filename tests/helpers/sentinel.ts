import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Redis from "ioredis";
import { freePort, startRedisServer, type RedisServerHandle } from "@/scripts/lib/redis-server";

// A Sentinel-managed pair on free ports: a primary, one replica and three sentinels (quorum 2),
// tuned to fail over in about two seconds. Sentinels rewrite their config files, so each gets one
// in a temp folder that stop() removes.

export const MASTER_NAME = "mlprimary";

export interface SentinelSetup {
  primary: RedisServerHandle;
  replica: RedisServerHandle;
  sentinels: RedisServerHandle[];
  /** Where the sentinels say the primary is now. */
  primaryPort: () => Promise<number>;
  /** Resolves once the sentinels name a primary other than `port`, with its port. */
  waitForNewPrimary: (port: number, timeoutMs?: number) => Promise<number>;
  stop: () => Promise<void>;
}

async function startSentinel(dir: string, index: number, primaryPort: number): Promise<RedisServerHandle> {
  const port = await freePort();
  const file = path.join(dir, `sentinel-${index}.conf`);
  writeFileSync(
    file,
    [
      `port ${port}`,
      "bind 127.0.0.1",
      `dir ${dir}`,
      `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${primaryPort} 2`,
      `sentinel down-after-milliseconds ${MASTER_NAME} 1000`,
      `sentinel failover-timeout ${MASTER_NAME} 3000`,
      `sentinel parallel-syncs ${MASTER_NAME} 1`,
      "",
    ].join("\n"),
  );
  const child = spawn(process.env.REDIS_SERVER_BIN ?? "redis-server", [file, "--sentinel"], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const probe = new Redis({ port, host: "127.0.0.1", lazyConnect: true, retryStrategy: () => 50 });
  probe.on("error", () => {});
  try {
    await Promise.race([
      probe.ping(),
      exited.then(() => {
        throw new Error(`sentinel on port ${port} exited while starting`);
      }),
    ]);
  } finally {
    probe.disconnect();
  }
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    process: child,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function startSentinelSetup(): Promise<SentinelSetup> {
  const dir = mkdtempSync(path.join(tmpdir(), "test-sentinel-"));
  // A replica keeps the RDB its primary sends in its working folder: the temp one, not the checkout.
  const primary = await startRedisServer({ extraArgs: ["--dir", dir] });
  const replica = await startRedisServer({
    extraArgs: ["--dir", dir, "--replicaof", "127.0.0.1", String(primary.port)],
  });
  const checker = new Redis(replica.url, { protocol: 2 });
  await waitUntil(
    async () => (await checker.info("replication")).includes("master_link_status:up"),
    10_000,
    "the replica to sync",
  );
  checker.disconnect();
  const sentinels = await Promise.all([0, 1, 2].map((i) => startSentinel(dir, i, primary.port)));
  const sentinelClient = new Redis(sentinels[0]!.url, { protocol: 2 });

  const primaryPort = async () => {
    const reply = (await sentinelClient.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME)) as string[];
    return Number(reply[1]);
  };
  // Sentinels learn of the replica and of each other from the primary's hello channel; a failover
  // needs both, so the setup is ready only once the first sentinel knows the other two and the replica.
  await waitUntil(
    async () => {
      const master = (await sentinelClient.call("SENTINEL", "MASTER", MASTER_NAME)) as string[];
      const field = (name: string) => Number(master[master.indexOf(name) + 1]);
      return field("num-other-sentinels") === 2 && field("num-slaves") === 1;
    },
    15_000,
    "the sentinels to find each other",
  );

  return {
    primary,
    replica,
    sentinels,
    primaryPort,
    waitForNewPrimary: async (port, timeoutMs = 15_000) => {
      let found = port;
      await waitUntil(
        async () => {
          found = await primaryPort();
          return found !== port;
        },
        timeoutMs,
        "the sentinels to promote a new primary",
      );
      return found;
    },
    stop: async () => {
      sentinelClient.disconnect();
      await Promise.all([...sentinels, primary, replica].map((handle) => handle.stop()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
