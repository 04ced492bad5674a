import "server-only";
import type { z } from "zod";
import { headers } from "next/headers";
import { RequestCookies } from "next/dist/server/web/spec-extension/cookies";
import type { AuditDescription } from "@/lib/audit";
import { auditAs, failureOf, guard, knownCaller, type Guarded } from "@/lib/auth/guard";
import type { Role } from "@/lib/auth/roles";
import type { Result } from "@/lib/errors";
import { errorTranslator } from "@/lib/i18n/server";
import { parseInput } from "@/lib/validation/describe";

// Every server action is built here (DESIGN.md contract 4, 5, 6, 8): the guard (same origin →
// authenticate → authorize, lib/auth/guard) → validate → run → audit → typed result.
// Redis is never touched for user data before the caller's session and role are known to be
// good enough.

/** Who called: `session` is never null for an action that needs a role. */
export type ActionContext<R extends Role | "public" = Role> = Guarded<R> & {
  /**
   * Hands over a console-state write that follows the change besides its audit entry (a model's
   * history): it travels with the audit write instead of a round trip before it, and the answer
   * goes out when both have settled. The work must not reject (it reports failure in its result).
   */
  alongsideAudit: (work: Promise<unknown>) => void;
};

interface ActionDefinition<R extends Role | "public", S extends z.ZodType, T> {
  /** The action's export name, for the audit log of refused calls. */
  name: string;
  /** "public" only for signing in; everything else names the least role allowed. */
  role: R;
  input: S;
  run: (input: z.infer<S>, context: ActionContext<R>) => Promise<T>;
  /** Describes the change for the audit log (one entry or several); actions that change nothing leave it out. */
  audit?: (input: z.infer<S>, data: T | undefined) => AuditDescription | AuditDescription[];
}

export function defineAction<R extends Role | "public", S extends z.ZodType, T>(
  definition: ActionDefinition<R, S, T>,
) {
  return async function action(rawInput?: unknown): Promise<Result<T>> {
    let input: z.infer<S> | undefined;
    let caller: ActionContext<R> | undefined;
    const alongside: Promise<unknown>[] = [];
    try {
      const requestHeaders = await headers();
      const asked = {
        role: definition.role,
        mutating: true,
        what: `action ${definition.name}`,
        headers: requestHeaders,
        // Read from the request's own Cookie header, as cookies() would, without its per-call cost.
        cookies: new RequestCookies(requestHeaders),
      };
      const guarded = knownCaller(asked) ?? (await guard(asked));
      caller = { ...guarded, alongsideAudit: (work) => void alongside.push(work) };
      input = parseInput(definition.input, rawInput ?? {});
      const data = await definition.run(input, caller);
      await Promise.all([audit(definition, input, data, caller), ...alongside]);
      return { ok: true, data };
    } catch (error) {
      await Promise.allSettled(alongside);
      const failure = failureOf(error, "action");
      if (input !== undefined && caller) await audit(definition, input, undefined, caller, failure.code);
      return { ok: false, error: failure.toBody(await errorTranslator()) };
    }
  };
}

/**
 * One entry per description: "ok" with the result, or "failed" with the error's code. Returns
 * auditAs's promise itself: no async layer of its own (bench/RESULTS.md).
 */
function audit<R extends Role | "public", S extends z.ZodType, T>(
  definition: ActionDefinition<R, S, T>,
  input: z.infer<S>,
  data: T | undefined,
  caller: ActionContext<R>,
  failed?: string,
): Promise<void> | undefined {
  if (!definition.audit) return undefined;
  const described = definition.audit(input, data);
  return auditAs(
    caller,
    (Array.isArray(described) ? described : [described]).map((description) => ({
      ...description,
      outcome: failed ? "failed" : "ok",
      detail: failed ?? description.detail,
    })),
  );
}
