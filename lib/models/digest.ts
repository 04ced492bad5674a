import * as crypto from "node:crypto";

// What an edit says it was based on: the SHA-1 hex of the value's bytes. Lua's redis.sha1hex
// computes the same digest inside Redis, so compare-and-set never ships the old value back.

export const DIGEST_PATTERN = /^[0-9a-f]{40}$/;

// Node's one-shot hash (20.12 and later) where there is one: a page of 100 fields computes 100
// digests, and a Hash object per field was a tenth of a millisecond of every page.
const oneShot = (crypto as { hash?: (algorithm: string, data: Buffer, encoding: "hex") => string }).hash;

export function digestOf(bytes: Buffer): string {
  return oneShot ? oneShot("sha1", bytes, "hex") : crypto.createHash("sha1").update(bytes).digest("hex");
}
