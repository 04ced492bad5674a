import Redis from "ioredis";
import { startRedisServer, type RedisServerHandle } from "@/scripts/lib/redis-server";

/** A private redis-server for one test file, and a plain client to check what it holds. */
export async function startTestRedis(
  extraArgs: string[] = [],
): Promise<{ server: RedisServerHandle; client: Redis }> {
  const server = await startRedisServer({ extraArgs });
  const client = new Redis(server.url, { protocol: 2, lazyConnect: false });
  return { server, client };
}
