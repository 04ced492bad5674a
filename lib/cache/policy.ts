import "server-only";
import { literalPrefix, matchesEverything } from "@/lib/cache/glob";
import { roleAllows, type Role } from "@/lib/auth/roles";
import { consoleStateTest, statePrefix } from "@/lib/console-state";
import { AppError } from "@/lib/errors";
import { typedGlob } from "@/lib/redis/keys";

// What may be flushed, and by whom (DESIGN.md contract 5). The console's own keys never go: a
// pattern inside the console-state prefix is refused, and a wider one (`*`) skips them key by key.
// A pattern that matches every key is a database flush, so it takes the admin role.

/** Refuses a glob whose every match would be a console-state key. */
export function assertNotConsoleState(glob: Buffer): void {
  if (consoleStateTest()(literalPrefix(glob))) {
    throw new AppError(
      "FORBIDDEN",
      `Keys under ${statePrefix()} are the console's own data (audit log, history); they cannot be flushed here.`,
    );
  }
}

/** The glob a person typed, as bytes, refused when it only names the console's own keys. */
export function userPattern(text: string): Buffer {
  const glob = typedGlob(text);
  if (glob.length === 0) throw new AppError("INVALID", "Type a pattern, like `result:*`.");
  assertNotConsoleState(glob);
  return glob;
}

/** The glob a person typed, as bytes, once it is known they may flush it. */
export function flushPatternFor(text: string, role: Role): Buffer {
  const glob = userPattern(text);
  if (matchesEverything(glob) && !roleAllows(role, "admin")) {
    throw new AppError(
      "FORBIDDEN",
      "A pattern that matches every key flushes the whole database, which needs the admin role.",
    );
  }
  return glob;
}
