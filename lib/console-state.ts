import "server-only";
import Redis from "ioredis";
import { connectionConfigs, getClient, type RedisClient } from "@/lib/redis/registry";

// The console's own data (audit log, later history and metrics) lives under a reserved prefix in
// the first configured connection, or in a separate Redis when CONSOLE_STATE_URL is set.

export function statePrefix(): string {
  return process.env.CONSOLE_STATE_PREFIX ?? "__console:";
}

export function stateKey(...parts: string[]): string {
  return statePrefix() + parts.join(":");
}

const globalState = globalThis as unknown as { __consoleStateClient?: Redis };

export function stateClient(): RedisClient {
  const url = process.env.CONSOLE_STATE_URL;
  if (!url) return getClient(connectionConfigs()[0]!.id);
  globalState.__consoleStateClient ??= new Redis(url, {
    protocol: 2,
    connectionName: "redis-ml-console-state",
    connectTimeout: 3_000,
    commandTimeout: 5_000,
    maxRetriesPerRequest: 1,
  }).on("error", () => {});
  return globalState.__consoleStateClient;
}
