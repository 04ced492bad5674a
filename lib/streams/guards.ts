import "server-only";
import { isConsoleStateKey } from "@/lib/console-state";
import { AppError } from "@/lib/errors";
import { displayBytes } from "@/lib/redis/keys";

// The checks every read or change of one stream makes before its answer is used.

/** The console's own streams (the audit log) are hidden and not readable here (DESIGN.md: console state). */
export function assertUserKey(key: Buffer): void {
  if (isConsoleStateKey(key)) {
    throw AppError.of("FORBIDDEN", "consoleKeyHidden", { key: displayBytes(key) });
  }
}

/** Refuses a key that TYPE (`type`) says is missing or not a stream. */
export function assertStream(type: string, key: Buffer): void {
  if (type === "none") throw AppError.of("NOT_FOUND", "noSuchStream", { key: displayBytes(key) });
  if (type !== "stream") throw AppError.of("INVALID", "notAStream", { key: displayBytes(key), type });
}
