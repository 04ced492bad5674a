import "server-only";
import { isConsoleStateKey } from "@/lib/console-state";
import type { RedisNode } from "@/lib/redis/client";

// A bounded sample of one master's keys, and one pipelined command per sampled key: what the
// largest-keys and hot-keys lists are read from (DESIGN.md contract 2: SCAN with a budget, never
// KEYS). The console's own keys are left out.

/** Keys sampled per master at most (by default), and the SCAN calls spent on it. */
export const SAMPLE_KEYS = 500;
const SCAN_COUNT = 500;
const MAX_SCAN_CALLS = 8;

export async function sampleKeys(node: RedisNode, limit = SAMPLE_KEYS): Promise<Buffer[]> {
  return (await scanFrom(node, "0", limit)).keys;
}

/** Up to `limit` keys from `cursor` on; the cursor to go on from ("0": the scan went all round). */
export async function scanFrom(
  node: RedisNode,
  cursor: string,
  limit: number,
  maxCalls = MAX_SCAN_CALLS,
): Promise<{ keys: Buffer[]; cursor: string }> {
  const keys: Buffer[] = [];
  let position = cursor;
  for (let calls = 0; calls < maxCalls && keys.length < limit; calls++) {
    const [next, found] = (await node.callBuffer("SCAN", position, "COUNT", SCAN_COUNT)) as [
      Buffer,
      Buffer[],
    ];
    for (const key of found) if (!isConsoleStateKey(key)) keys.push(key);
    position = next.toString();
    if (position === "0") break;
  }
  return { keys: keys.slice(0, limit), cursor: position };
}

/** `command key …args` for every key in one pipeline; a key's error (gone, NOPERM) reads as null. */
export async function perKey(
  node: RedisNode,
  keys: Buffer[],
  command: (key: Buffer) => [string, ...(string | Buffer | number)[]],
): Promise<(number | null)[]> {
  if (keys.length === 0) return [];
  const pipeline = node.pipeline();
  for (const key of keys) {
    const [name, ...args] = command(key);
    pipeline.callBuffer(name, ...args);
  }
  const results = (await pipeline.exec()) ?? [];
  return results.map(([error, value]) => (error || value === null ? null : Number(value)));
}
