import "server-only";
import { createHash } from "node:crypto";
import type { RedisClient } from "@/lib/redis/registry";

// Lua scripts, sent by their SHA-1 (EVALSHA) so the source crosses the wire only when the server
// has not seen it yet. Replies come as Buffers: keys and values are bytes (DESIGN.md contract 1).

export interface LuaScript {
  source: string;
  sha: string;
}

export function defineScript(source: string): LuaScript {
  return { source, sha: createHash("sha1").update(source).digest("hex") };
}

/** EVALSHA, falling back to EVAL when the server has not seen the script (restart, failover). */
export async function runScript(
  client: RedisClient,
  script: LuaScript,
  keys: Buffer[],
  args: (Buffer | string)[] = [],
): Promise<unknown> {
  const tail = [keys.length, ...keys, ...args];
  try {
    return await client.callBuffer("EVALSHA", [script.sha, ...tail]);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
    return client.callBuffer("EVAL", [script.source, ...tail]);
  }
}
