import "server-only";
import { writeAudit } from "@/lib/audit";
import { verifyAgainstNothing, verifyPassword } from "@/lib/auth/password";
import { clearFailedSignIns, recordFailedSignIn, signInBlockedFor } from "@/lib/auth/rate-limit";
import { auditRefusal } from "@/lib/auth/refusals";
import { startSession } from "@/lib/auth/session";
import { findUser, type ConsoleUser } from "@/lib/auth/users";
import { AppError } from "@/lib/errors";
import { countSignIn } from "@/lib/metrics/prometheus/registry";

// Signing in (DESIGN.md contracts 6, 9, 10): attempts are limited per username and address, a
// wrong username costs as much time as a wrong password, and every outcome is audited — a refusal
// for too many attempts within the per-address cap, a failure and a success always.

/** Checks the credentials from `address` and starts a session; refused with RATE_LIMITED or UNAUTHENTICATED. */
export async function signInWithPassword(
  username: string,
  password: string,
  address: string,
): Promise<ConsoleUser> {
  const waitMs = await signInBlockedFor(username, address);
  if (waitMs > 0) {
    countSignIn("refused");
    await auditRefusal({
      action: "auth.sign-in",
      user: username,
      address,
      detail: "RATE_LIMITED: too many failed sign-ins",
    });
    const minutes = Math.ceil(waitMs / 60_000);
    throw AppError.of("RATE_LIMITED", "tooManySignIns", { minutes });
  }
  const user = await findUser(username);
  const valid = user
    ? await verifyPassword(password, user.passwordHash)
    : await verifyAgainstNothing(password);
  if (!user || !valid) {
    countSignIn("failed");
    await recordFailedSignIn(username, address);
    await writeAudit({ action: "auth.sign-in", user: username, outcome: "failed", address });
    throw AppError.of("UNAUTHENTICATED", "wrongCredentials");
  }
  await clearFailedSignIns(username);
  await startSession(user, address);
  countSignIn("ok");
  await writeAudit({ action: "auth.sign-in", user: user.username, role: user.role, outcome: "ok", address });
  return user;
}
