import { createHash } from "node:crypto";

// What an edit says it was based on: the SHA-1 hex of the value's bytes. Lua's redis.sha1hex
// computes the same digest inside Redis, so compare-and-set never ships the old value back.

export const DIGEST_PATTERN = /^[0-9a-f]{40}$/;

export function digestOf(bytes: Buffer): string {
  return createHash("sha1").update(bytes).digest("hex");
}
