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
    throw new AppError("INTERNAL", "Redis answered a write in an unexpected shape; nothing is assumed.");
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
    return new AppError(
      "INVALID",
      `${quoted(key)} is a ${String(reply.rest[0])}, not a hash; nothing was changed.`,
    );
  }
  if (reply.tag === "missing") {
    return new AppError("NOT_FOUND", `${quoted(key)} does not exist (any more); nothing was changed.`);
  }
  return new AppError("INTERNAL", "Redis answered a write in an unexpected shape; nothing is assumed.");
}
