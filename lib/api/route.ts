import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { writeAudit, type AuditInput } from "@/lib/audit";
import { roleAllows, type Role } from "@/lib/auth/roles";
import { getSession, type Session } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { toAppError } from "@/lib/redis/errors";
import { clientAddress } from "@/lib/request-context";
import { describeZodError } from "@/lib/validation/describe";

// Every route handler is built here: authenticate → authorize → validate → run → map errors.
// JSON answers are `{ ok: true, data }` or `{ ok: false, error: { code, message } }` with the
// status from lib/errors. Handlers that stream (SSE) return their own Response from `run`.

export interface RouteContext<Q, B> {
  request: NextRequest;
  session: Session | null;
  query: Q;
  body: B;
  params: Record<string, string | string[] | undefined>;
}

interface RouteDefinition<QS extends z.ZodType, BS extends z.ZodType, T> {
  role: Role | "public";
  query?: QS;
  body?: BS;
  run: (context: RouteContext<z.infer<QS>, z.infer<BS>>) => Promise<T | Response>;
  audit?: (
    context: RouteContext<z.infer<QS>, z.infer<BS>>,
    data: T,
  ) => Omit<AuditInput, "user" | "role" | "outcome">;
}

export function errorResponse(error: AppError): NextResponse {
  return NextResponse.json({ ok: false, error: error.toBody() }, { status: error.status, headers: noStore });
}

const noStore = { "Cache-Control": "no-store" };

/** Mutating requests must come from this console's own pages (CSRF), like Next's server actions. */
function checkSameOrigin(request: NextRequest): void {
  if (request.method === "GET" || request.method === "HEAD") return;
  const origin = request.headers.get("origin");
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (!origin || !host || new URL(origin).host !== host) {
    throw new AppError("FORBIDDEN", "Cross-site requests are refused. Use the console's own pages.");
  }
}

async function readBody(request: NextRequest): Promise<unknown> {
  if (request.method === "GET" || request.method === "HEAD") return undefined;
  const text = await request.text();
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("INVALID", "The request body is not valid JSON.");
  }
}

function parse<S extends z.ZodType>(schema: S | undefined, value: unknown): z.infer<S> {
  if (!schema) return undefined as z.infer<S>;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AppError("INVALID", describeZodError(parsed.error));
  return parsed.data;
}

export function defineRoute<
  QS extends z.ZodType = z.ZodUndefined,
  BS extends z.ZodType = z.ZodUndefined,
  T = unknown,
>(definition: RouteDefinition<QS, BS, T>) {
  return async function handler(
    request: NextRequest,
    segment?: { params?: Promise<Record<string, string | string[] | undefined>> },
  ): Promise<Response> {
    try {
      const session = await getSession();
      if (definition.role !== "public") {
        if (!session) throw new AppError("UNAUTHENTICATED", "Sign in to use the console.");
        if (!roleAllows(session.role, definition.role)) {
          throw new AppError("FORBIDDEN", `This needs the ${definition.role} role; you are ${session.role}.`);
        }
      }
      checkSameOrigin(request);
      const context: RouteContext<z.infer<QS>, z.infer<BS>> = {
        request,
        session,
        query: parse(definition.query, Object.fromEntries(request.nextUrl.searchParams)),
        body: parse(definition.body, await readBody(request)),
        params: (await segment?.params) ?? {},
      };
      const data = await definition.run(context);
      if (data instanceof Response) return data;
      if (definition.audit) {
        await writeAudit({
          ...definition.audit(context, data),
          user: session?.username ?? "anonymous",
          role: session?.role,
          outcome: "ok",
          address: await clientAddress(),
        });
      }
      return NextResponse.json({ ok: true, data }, { headers: noStore });
    } catch (error) {
      const appError = toAppError(error);
      if (appError.code === "INTERNAL") console.error("[route] unexpected error:", error);
      return errorResponse(appError);
    }
  };
}
