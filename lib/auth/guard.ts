import "server-only";
import { writeAudit, type AuditDescription, type AuditInput } from "@/lib/audit";
import { auditRefusal } from "@/lib/auth/refusals";
import { roleAllows, type Role } from "@/lib/auth/roles";
import { getSession, knownSession, type Session } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { toAppError } from "@/lib/redis/errors";
import { addressFrom, assertSameOrigin, requestOrigin, type CookieReader } from "@/lib/request-context";

// The steps every route handler (lib/api/route.ts) and server action (lib/actions/safe-action.ts)
// share, in one place (DESIGN.md contracts 4, 5, 6, 8, 10). Before the input is read or Redis is
// touched: a state-changing request must come from the console's own origin; then a session,
// then a role high enough. Refusals of a known caller or a foreign origin are audited (capped per
// address and minute). After: the change is audited as the caller, and a failure leaves as an
// AppError, logged when nobody expected it.

/** Who is calling: a session for every role; for "public" (signing in, health) perhaps none. */
export interface Guarded<R extends Role | "public"> {
  session: R extends Role ? Session : Session | null;
  address: string;
}

interface GuardRequest<R extends Role | "public"> {
  role: R;
  /** Changes state (POST, an action): needs the console's own Origin. */
  mutating: boolean;
  /** What was asked, for the audit log: `POST /api/live/watch`, `action deleteKeyAction`. */
  what: string;
  headers: Pick<Headers, "get">;
  /** The request's cookies, where the caller has them (a route handler); else cookies(). */
  cookies?: CookieReader;
}

export async function guard<R extends Role | "public">(request: GuardRequest<R>): Promise<Guarded<R>> {
  const address = addressFrom(request.headers);
  if (request.mutating) {
    try {
      assertSameOrigin(request.headers);
    } catch (error) {
      // Named when the cookie says who it is: a replayed request is someone's.
      const who = await getSession(request.cookies).catch(() => null);
      await auditRefusal({
        action: "request.refused",
        user: who?.username ?? "anonymous",
        role: who?.role,
        address,
        detail: `cross-origin: ${request.what}; Origin ${requestOrigin(request.headers)?.slice(0, 200) ?? "missing"}`,
      });
      throw error;
    }
  }
  if (request.role === "public") return { session: null, address } as Guarded<R>;
  const session = await getSession(request.cookies);
  if (!session) throw AppError.of("UNAUTHENTICATED", "sessionEnded");
  if (!roleAllows(session.role, request.role)) {
    await auditRefusal({
      action: "request.refused",
      user: session.username,
      role: session.role,
      address,
      detail: `FORBIDDEN: ${request.what} needs ${request.role}`,
    });
    throw AppError.of("FORBIDDEN", "roleNeeded", { needed: request.role, role: session.role });
  }
  return { session, address } as Guarded<R>;
}

/**
 * guard's answer without waiting, when the request passes on what this process knows now (the
 * session as lib/auth/session's knownSession has it); else undefined, and `guard` decides, which
 * also audits a refusal. Every promise of a signed-in request costs CPU (bench/RESULTS.md).
 */
export function knownCaller<R extends Role | "public">(request: GuardRequest<R>): Guarded<R> | undefined {
  if (request.mutating) {
    try {
      assertSameOrigin(request.headers);
    } catch {
      return undefined;
    }
  }
  const address = addressFrom(request.headers);
  if (request.role === "public") return { session: null, address } as Guarded<R>;
  const session = request.cookies && knownSession(request.cookies);
  if (!session || !roleAllows(session.role, request.role)) return undefined;
  return { session, address } as Guarded<R>;
}

/** What a change's audit entry says, besides who made it. */
type AuditedChange = AuditDescription & Pick<AuditInput, "outcome">;

/**
 * Audits a change as `caller`: the session's user and role ("anonymous" without one), and address.
 * A change described by several entries (one per field) has them written together, in order.
 */
export function auditAs(
  caller: Guarded<Role | "public">,
  entries: AuditedChange | AuditedChange[],
): Promise<void> {
  const who = {
    user: caller.session?.username ?? "anonymous",
    role: caller.session?.role,
    address: caller.address,
  };
  return writeAudit((Array.isArray(entries) ? entries : [entries]).map((entry) => ({ ...entry, ...who })));
}

/** What the browser is told about a failure; one nobody expected is logged here first. */
export function failureOf(error: unknown, where: "route" | "action"): AppError {
  const appError = toAppError(error);
  if (appError.code === "INTERNAL") console.error(`[${where}] unexpected error:`, error);
  return appError;
}
