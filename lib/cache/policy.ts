import "server-only";
import { databaseLabel } from "@/lib/cache/database";
import { hasLiteralPart, literalPrefix } from "@/lib/cache/glob";
import { patternReach } from "@/lib/cache/reach";
import { roleAllows, type Role } from "@/lib/auth/roles";
import { consoleStateTest, statePrefix } from "@/lib/console-state";
import { AppError } from "@/lib/errors";
import { typedGlob } from "@/lib/redis/keys";

// What may be flushed, and by whom (DESIGN.md contract 5). The console's own keys never go: a
// pattern inside the console-state prefix is refused, and a wider one (`*`) skips them key by key.
// A flush that reaches every user key of the database is a database flush: admin only, confirmed
// with the database's name. That is decided by what the pattern matches, never by how its text
// looks. A pattern without a literal part (`*`, `?*`, `[^\x01]*`) names no namespace and can take
// any key; one with a literal part can still take every key this database holds (`*a*` where every
// key has an `a`), which a bounded scan for a key the pattern leaves finds out (lib/cache/reach).

/** Why flushing a pattern is flushing the database. */
export type WholeDatabase =
  | { reason: "no-literal-part" }
  /** No user key outside the pattern among `examined` (0: the database holds none but the console's own). */
  | { reason: "every-key-examined"; examined: number };

/** Refuses a glob whose every match would be a console-state key. */
export function assertNotConsoleState(glob: Buffer): void {
  if (consoleStateTest()(literalPrefix(glob))) {
    throw AppError.of("FORBIDDEN", "consoleStateFlush", { prefix: statePrefix() });
  }
}

/** The glob a person typed, as bytes, refused when it only names the console's own keys. */
export function userPattern(text: string): Buffer {
  const glob = typedGlob(text);
  if (glob.length === 0) throw AppError.of("INVALID", "typePattern");
  assertNotConsoleState(glob);
  return glob;
}

/** Why someone below admin may not flush this pattern, in words that say what to do instead. */
function databaseFlushRefusal(text: string, whole: WholeDatabase): AppError {
  if (whole.reason === "no-literal-part") {
    return AppError.of("FORBIDDEN", "patternNoLiteralAdmin", { pattern: text });
  }
  if (whole.examined === 0) return AppError.of("FORBIDDEN", "noUserKeysAdmin");
  return AppError.of("FORBIDDEN", "everyKeyAdmin", { examined: whole.examined });
}

/** Why flushing the pattern is flushing the database, and the name that confirms it. */
function databaseFlushConfirmation(text: string, whole: WholeDatabase, label: string): AppError {
  if (whole.reason === "no-literal-part") {
    return AppError.of("INVALID", "patternNoLiteralConfirm", { pattern: text, label });
  }
  if (whole.examined === 0) return AppError.of("INVALID", "noUserKeysConfirm", { label });
  return AppError.of("INVALID", "everyKeyConfirm", { examined: whole.examined, label });
}

/**
 * The glob a person typed, once its text alone does not rule the flush out: not the console's own
 * keys, and for anyone below admin a literal part. What the pattern reaches is decided next, by
 * flushPatternFor, against the database.
 */
export function flushablePattern(text: string, role: Role): Buffer {
  const glob = userPattern(text);
  if (!hasLiteralPart(glob) && !roleAllows(role, "admin")) {
    throw databaseFlushRefusal(text, { reason: "no-literal-part" });
  }
  return glob;
}

/** Whether flushing the glob empties the database of user keys, and why; null when a key would stay. */
export async function wholeDatabaseReach(connectionId: string, glob: Buffer): Promise<WholeDatabase | null> {
  if (!hasLiteralPart(glob)) return { reason: "no-literal-part" };
  const reach = await patternReach(connectionId, glob);
  return reach.leavesAKey ? null : { reason: "every-key-examined", examined: reach.examined };
}

export interface FlushRequest {
  /** The pattern as typed. */
  pattern: string;
  /** The pattern typed again, or the database's name when the flush reaches every key. */
  confirm: string;
}

export interface FlushDecision {
  /** The glob's bytes, for SCAN MATCH. */
  pattern: Buffer;
  /** Set when the flush empties the database (then only an admin got this far, with its name). */
  wholeDatabase: WholeDatabase | null;
}

/**
 * Decides whether this person may start this flush, before anything is deleted. A namespace
 * flush is confirmed by the pattern typed again; one that reaches every user key is a database
 * flush: refused below admin, and confirmed with the database's name (`db0 on <connection>`).
 */
export async function flushPatternFor(
  connectionId: string,
  request: FlushRequest,
  role: Role,
): Promise<FlushDecision> {
  const glob = flushablePattern(request.pattern, role);
  const label = databaseLabel(connectionId);
  // A confirmation that fits neither case is refused before Redis is asked anything.
  if (request.confirm !== request.pattern && request.confirm !== label) {
    throw AppError.of("INVALID", "confirmPattern");
  }
  const whole = await wholeDatabaseReach(connectionId, glob);
  if (whole && !roleAllows(role, "admin")) throw databaseFlushRefusal(request.pattern, whole);
  if (whole && request.confirm !== label) {
    throw databaseFlushConfirmation(request.pattern, whole, label);
  }
  if (!whole && request.confirm !== request.pattern) {
    throw AppError.of("INVALID", "confirmPattern");
  }
  return { pattern: glob, wholeDatabase: whole };
}
