import "server-only";
import type { z } from "zod";
import { writeAudit, type AuditInput } from "@/lib/audit";
import { roleAllows, type Role } from "@/lib/auth/roles";
import { getSession, type Session } from "@/lib/auth/session";
import { AppError, type Result } from "@/lib/errors";
import { toAppError } from "@/lib/redis/errors";
import { clientAddress } from "@/lib/request-context";
import { describeZodError } from "@/lib/validation/describe";

// Every server action is built here (DESIGN.md contract 4, 5, 6):
// authenticate → authorize → validate → run → audit → typed result. Redis is never touched
// before the caller's session and role are known to be good enough.

export interface ActionContext {
  session: Session | null;
  address: string;
}

type AuditDescription = Omit<AuditInput, "user" | "role" | "outcome" | "address">;

interface ActionDefinition<S extends z.ZodType, T> {
  /** "public" only for signing in; everything else names the least role allowed. */
  role: Role | "public";
  input: S;
  run: (input: z.infer<S>, context: ActionContext) => Promise<T>;
  /** Describes the change for the audit log (one entry or several); actions that change nothing leave it out. */
  audit?: (input: z.infer<S>, data: T | undefined) => AuditDescription | AuditDescription[];
}

export function defineAction<S extends z.ZodType, T>(definition: ActionDefinition<S, T>) {
  return async function action(rawInput?: unknown): Promise<Result<T>> {
    let input: z.infer<S> | undefined;
    let context: ActionContext | undefined;
    try {
      const session = await getSession();
      if (definition.role !== "public") {
        if (!session) throw new AppError("UNAUTHENTICATED", "Your session has ended. Sign in again.");
        if (!roleAllows(session.role, definition.role)) {
          throw new AppError(
            "FORBIDDEN",
            `This needs the ${definition.role} role; you are signed in as ${session.role}.`,
          );
        }
      }
      context = { session, address: await clientAddress() };
      const parsed = definition.input.safeParse(rawInput ?? {});
      if (!parsed.success) throw new AppError("INVALID", describeZodError(parsed.error));
      input = parsed.data;
      const data = await definition.run(parsed.data, context);
      if (definition.audit) await audit(definition, parsed.data, data, context, "ok");
      return { ok: true, data };
    } catch (error) {
      const appError = toAppError(error);
      if (appError.code === "INTERNAL") console.error("[action] unexpected error:", error);
      if (definition.audit && input !== undefined && context) {
        await audit(definition, input, undefined, context, "failed", appError.code);
      }
      return { ok: false, error: appError.toBody() };
    }
  };
}

async function audit<S extends z.ZodType, T>(
  definition: ActionDefinition<S, T>,
  input: z.infer<S>,
  data: T | undefined,
  context: ActionContext,
  outcome: "ok" | "failed",
  detail?: string,
): Promise<void> {
  const described = definition.audit!(input, data);
  for (const description of Array.isArray(described) ? described : [described]) {
    await writeAudit({
      ...description,
      user: context.session?.username ?? "anonymous",
      role: context.session?.role,
      outcome,
      detail: detail ?? description.detail,
      address: context.address,
    });
  }
}
