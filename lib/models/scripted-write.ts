import "server-only";
import { AppError } from "@/lib/errors";
import { displayBytes } from "@/lib/redis/keys";

// What every scripted model write (edit, rename, clone) shares: its script answers a tagged array: {"ok", …}, {"conflict", …}, {"type", <type>}
// (not a hash), {"missing"} (no such key), {"exists"} (the name asked for is taken). Lua false
// becomes nil.

export interface ScriptReply {
  tag: string;
  rest: unknown[];
}

export function parseReply(reply: unknown): ScriptReply {
  if (!Array.isArray(reply) || reply.length === 0) {
    throw AppError.of("INTERNAL", "unexpectedWriteReply");
  }
  const items: unknown[] = reply;
  return { tag: String(items[0]), rest: items.slice(1) };
}

export function bytesOrNull(value: unknown): Buffer | null {
  return Buffer.isBuffer(value) ? value : null;
}

export function quoted(key: Buffer): string {
  return `"${displayBytes(key)}"`;
}

/** The refusals every script shares: the key is not a hash, or it is gone. */
export function refusal(reply: ScriptReply, key: Buffer): AppError {
  if (reply.tag === "type") {
    return AppError.of("INVALID", "notAHashUnchanged", { key: quoted(key), type: String(reply.rest[0]) });
  }
  if (reply.tag === "missing") {
    return AppError.of("NOT_FOUND", "keyGoneUnchanged", { key: quoted(key) });
  }
  return AppError.of("INTERNAL", "unexpectedWriteReply");
}
