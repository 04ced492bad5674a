import type Redis from "ioredis";

// Many keys written and counted by the tests' own client, to check what a flush really left, and
// Redis slowed down so that a flush of them is still running when a test cancels it.

/** Writes `<prefix>0` … `<prefix><total - 1>`, MSET in batches: many times faster than single SETs. */
export async function writeKeys(redis: Redis, prefix: string, total: number): Promise<void> {
  for (let from = 0; from < total; from += 1_000) {
    const pairs: string[] = [];
    for (let i = from; i < Math.min(total, from + 1_000); i++) pairs.push(`${prefix}${i}`, "x");
    await redis.mset(...pairs);
  }
}

/** Distinct keys matching `pattern`, counted with SCAN (never KEYS). */
export async function scanCount(redis: Redis, pattern: string): Promise<number> {
  const seen = new Set<string>();
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 5_000);
    for (const key of keys) seen.add(key);
    cursor = next;
  } while (cursor !== "0");
  return seen.size;
}

/** Deletes every key matching `pattern`, a SCAN page at a time. */
export async function unlinkMatching(redis: Redis, pattern: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 5_000);
    if (keys.length) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== "0");
}

/** Holds Redis's writes 200 ms of every 250 until the answer is called (and awaited). */
export function throttleWrites(redis: Redis): () => Promise<void> {
  let throttling = true;
  const loop = (async () => {
    while (throttling) {
      await redis.call("CLIENT", "PAUSE", "200", "WRITE");
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  return async () => {
    throttling = false;
    await loop;
    await redis.call("CLIENT", "UNPAUSE");
  };
}
