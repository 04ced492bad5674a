import "server-only";
import Redis from "ioredis";
import { connectionConfigs, readyClient, whenReady, type RedisClient } from "@/lib/redis/registry";

// The console's own data (audit log, later history and metrics) lives under a reserved prefix in
// the first configured connection, or in a separate Redis when CONSOLE_STATE_URL is set.

export function statePrefix(): string {
  return process.env.CONSOLE_STATE_PREFIX ?? "__console:";
}

export function stateKey(...parts: string[]): string {
  return statePrefix() + parts.join(":");
}

/** A test for keys under the console-state prefix, the prefix read once (a scan calls it per key). */
export function consoleStateTest(): (key: Buffer) => boolean {
  const prefix = Buffer.from(statePrefix(), "utf8");
  return (key) => key.length >= prefix.length && prefix.compare(key, 0, prefix.length) === 0;
}

export function isConsoleStateKey(key: Buffer): boolean {
  return consoleStateTest()(key);
}

const globalState = globalThis as unknown as { __consoleStateClient?: Redis };

/** The client holding console state, once usable; fails fast (UNAVAILABLE) while it is down. */
export async function stateClient(): Promise<RedisClient> {
  const url = process.env.CONSOLE_STATE_URL;
  if (!url) return readyClient(connectionConfigs()[0]!.id);
  globalState.__consoleStateClient ??= new Redis(url, {
    protocol: 2,
    connectionName: "redis-ml-console-state",
    connectTimeout: 3_000,
    commandTimeout: 5_000,
    maxRetriesPerRequest: 1,
  }).on("error", () => {});
  return whenReady(globalState.__consoleStateClient, "console state");
}
