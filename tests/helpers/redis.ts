import Redis from "ioredis";
import { afterAll, beforeAll } from "vitest";
import { closeAllClients } from "@/lib/redis/registry";
import { startRedisServer, type RedisServerHandle } from "@/scripts/lib/redis-server";

/** A private redis-server for one test file, and a plain client to check what it holds. */
export async function startTestRedis(
  extraArgs: string[] = [],
): Promise<{ server: RedisServerHandle; client: Redis }> {
  const server = await startRedisServer({ extraArgs });
  const client = new Redis(server.url, { protocol: 2, lazyConnect: false });
  return { server, client };
}

/**
 * For a test file that drives lib/ against a real Redis: starts a private redis-server, makes it
 * the console's one connection (`connectionId`), and stops both when the file ends. `client` is a
 * plain ioredis client of the test's own — the "outside writer" that also checks what Redis holds.
 */
export function withConsoleRedis(
  connectionId = "main",
  extraArgs: string[] = [],
): {
  readonly server: RedisServerHandle;
  readonly client: Redis;
} {
  let started: { server: RedisServerHandle; client: Redis } | undefined;
  beforeAll(async () => {
    started = await startTestRedis(extraArgs);
    process.env.CONSOLE_CONNECTIONS = JSON.stringify([
      { id: connectionId, type: "standalone", url: started.server.url },
    ]);
  });
  afterAll(async () => {
    await closeAllClients();
    delete process.env.CONSOLE_CONNECTIONS;
    started?.client.disconnect();
    await started?.server.stop();
  });
  return {
    get server() {
      return started!.server;
    },
    get client() {
      return started!.client;
    },
  };
}

/** Keys outside console state (which now also holds flush jobs and the console's own counters). */
export async function userKeyCount(client: Redis, prefix = "__console:"): Promise<number> {
  let cursor = "0";
  let consoleKeys = 0;
  do {
    const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 10_000);
    cursor = next;
    consoleKeys += keys.length;
  } while (cursor !== "0");
  return (await client.dbsize()) - consoleKeys;
}

/**
 * A user on `server` that may do everything but run scripts (so a flush takes plain steps, as on a
 * cluster), and the server's URL signed in as that user.
 */
export async function userWithoutScripts(client: Redis, serverUrl: string, user: string): Promise<string> {
  const password = `${user}-pw`;
  await client.call("ACL", "SETUSER", user, "on", `>${password}`, "~*", "&*", "+@all", "-@scripting");
  const url = new URL(serverUrl);
  [url.username, url.password] = [user, password];
  return url.toString();
}
