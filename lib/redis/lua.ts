import "server-only";
import { createHash } from "node:crypto";
import type { RedisClient } from "@/lib/redis/client";

// Lua scripts, sent by their SHA-1 (EVALSHA) so the source crosses the wire only when the server
// has not seen it yet. Replies come as Buffers: keys and values are bytes (DESIGN.md contract 1).

export interface LuaScript {
  source: string;
  sha: string;
}

export function defineScript(source: string): LuaScript {
  return { source, sha: createHash("sha1").update(source).digest("hex") };
}

function refusedWith(error: unknown, prefix: string): boolean {
  return error instanceof Error && error.message.startsWith(prefix);
}

/**
 * EVALSHA, falling back to EVAL when the server has not seen the script (restart, failover).
 * A `readOnly` script goes as EVALSHA_RO (Redis 7): a read-only ACL user (`%R~*`) may run it, and
 * Redis refuses any write inside it; an older server, which lacks the command, gets EVALSHA.
 */
export function runScript(
  client: RedisClient,
  script: LuaScript,
  keys: Buffer[],
  args: (Buffer | string)[] = [],
  options: { readOnly?: boolean } = {},
): Promise<unknown> {
  const tail = [keys.length, ...keys, ...args];
  const [bySha, bySource] = options.readOnly ? ["EVALSHA_RO", "EVAL_RO"] : ["EVALSHA", "EVAL"];
  // A handler on the reply instead of an async function's await: one layer of promises fewer for
  // every model edit (bench/RESULTS.md).
  return client.callBuffer(bySha, [script.sha, ...tail]).catch((error: unknown) => {
    if (options.readOnly && refusedWith(error, "ERR unknown command")) {
      return runScript(client, script, keys, args);
    }
    if (!refusedWith(error, "NOSCRIPT")) throw error;
    return client.callBuffer(bySource, [script.source, ...tail]);
  });
}
