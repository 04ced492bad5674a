import type Redis from "ioredis";

// Brings a Redis with a small maxmemory (and maxmemory-policy noeviction) to the point where it
// refuses writes, the way production gets there: by storing data until OOM.

const FILLER_BYTES = 64 * 1024;

/** Writes `prefix:N` values until Redis answers OOM; returns how many it took. */
export async function fillUntilRefused(client: Redis, prefix = "filler"): Promise<number> {
  const value = Buffer.alloc(FILLER_BYTES, 0x61);
  for (let written = 0; written < 10_000; written++) {
    try {
      await client.set(`${prefix}:${written}`, value);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith("OOM")) return written;
      throw error;
    }
  }
  throw new Error("Redis never refused a write: is maxmemory set, with maxmemory-policy noeviction?");
}

export async function usedMemory(client: Redis): Promise<number> {
  return Number(/used_memory:(\d+)/.exec(await client.info("memory"))?.[1]);
}
