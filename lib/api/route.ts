import "server-only";
import type { NextRequest } from "next/server";
import { z } from "zod";
import { readBodyText } from "@/lib/api/body";
import type { AuditDescription } from "@/lib/audit";
import { auditAs, failureOf, guard, knownCaller, type Guarded } from "@/lib/auth/guard";
import type { Role } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { observeRequest } from "@/lib/metrics/prometheus/registry";
import { connectionIdOf } from "@/lib/request-context";
import { SMALL_ANSWER } from "@/lib/request/small-answer";
import { parseInput, parseLink } from "@/lib/validation/describe";
import { errorTranslator } from "@/lib/i18n/server";

// Every route handler is built here: the guard (same origin for changes → authenticate →
// authorize, lib/auth/guard) → read a bounded body → validate query, body and URL params → resolve
// the connection → run → audit → map errors.
// JSON answers are `{ ok: true, data }` or `{ ok: false, error: { code, message } }` with the
// status from lib/errors. Handlers that stream (SSE) return their own Response from `run`.

type Query = Record<string, unknown> | undefined;

/**
 * A query schema with `conn` makes the route work on one connection: `run` gets the connection's
 * id (the named one, else the switcher's choice; unknown is NOT_FOUND) and the rest of the query.
 */
type ConnectionOf<Q> =
  Q extends Record<string, unknown>
    ? "conn" extends keyof Q
      ? { connectionId: string; query: Omit<Q, "conn"> }
      : { query: Q }
    : { query: Q };

export type RouteContext<R extends Role | "public", Q, B, P> = {
  request: NextRequest;
  /** Never null for a route that needs a role. */
  session: Guarded<R>["session"];
  body: B;
  /** The URL's dynamic segments as the `params` schema makes them (a `[ref]` as the key's bytes). */
  params: P;
} & ConnectionOf<Q>;

interface RouteDefinition<
  R extends Role | "public",
  QS extends z.ZodType,
  BS extends z.ZodType,
  PS extends z.ZodType,
  T,
> {
  role: R;
  query?: QS;
  body?: BS;
  /** A failure answers INVALID with the schema's own words (a link, not a form). */
  params?: PS;
  /** Bytes of body read at most (JSON routes: a few KB); past it the answer is 413. */
  bodyLimit?: number;
  run: (context: RouteContext<R, z.infer<QS>, z.infer<BS>, z.infer<PS>>) => Promise<T | Response>;
  audit?: (context: RouteContext<R, z.infer<QS>, z.infer<BS>, z.infer<PS>>, data: T) => AuditDescription;
}

/** The error as JSON, its message in the caller's language. */
async function errorResponse(error: AppError): Promise<Response> {
  const body = error.toBody(await errorTranslator());
  return jsonAnswer({ ok: false, error: body }, error.status);
}

/**
 * A JSON answer. Next gzips every streamed answer, whatever its size: for a small one (health,
 * the overview, a job's progress, most errors) starting a gzip stream costs more CPU than the
 * bytes it saves are worth, so a small answer is marked `no-transform`, which Next's compression
 * (and any proxy) leaves alone.
 */
export function jsonAnswer(body: unknown, status = 200): Response {
  const text = JSON.stringify(body);
  return new Response(text, {
    status,
    headers: {
      "Content-Type": "application/json",
      "Cache-Control": text.length < SMALL_ANSWER ? "no-store, no-transform" : "no-store",
    },
  });
}

/** The JSON routes' body limit: their inputs are small. */
export const DEFAULT_BODY_LIMIT = 16 * 1024;

async function readBody(request: NextRequest, limit: number): Promise<unknown> {
  const text = await readBodyText(request, limit);
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw AppError.of("INVALID", "bodyNotJson");
  }
}

/** Whether the route works on one connection: its query schema has `conn` (often optional). */
function namesConnection(schema: z.ZodType | undefined): boolean {
  return schema instanceof z.ZodObject && "conn" in schema.shape;
}

/** The query without `conn`, and the connection it names (else the switcher's choice). */
function connectionOf(query: Query, request: NextRequest): { query: Query; connectionId: string } {
  const { conn, ...rest } = query ?? {};
  return { query: rest, connectionId: connectionIdOf(conn as string | undefined, request.cookies) };
}

export function defineRoute<
  R extends Role | "public",
  QS extends z.ZodType = z.ZodUndefined,
  BS extends z.ZodType = z.ZodUndefined,
  PS extends z.ZodType = z.ZodUndefined,
  T = unknown,
>(definition: RouteDefinition<R, QS, BS, PS, T>) {
  type Context = RouteContext<R, z.infer<QS>, z.infer<BS>, z.infer<PS>>;
  const onConnection = namesConnection(definition.query);
  return async function handler(
    request: NextRequest,
    segment?: { params?: Promise<Record<string, string | string[] | undefined>> },
  ): Promise<Response> {
    const started = performance.now();
    const response = await answer(request, segment);
    const seconds = (performance.now() - started) / 1_000;
    observeRequest(request.nextUrl.pathname, request.method, response.status, seconds);
    return response;
  };

  async function answer(
    request: NextRequest,
    segment?: { params?: Promise<Record<string, string | string[] | undefined>> },
  ): Promise<Response> {
    try {
      const readsOnly = request.method === "GET" || request.method === "HEAD";
      const asked = {
        role: definition.role,
        mutating: !readsOnly,
        what: `${request.method} ${request.nextUrl.pathname}`,
        headers: request.headers,
        cookies: request.cookies,
      };
      const caller = knownCaller(asked) ?? (await guard(asked));
      const query = definition.query
        ? (parseInput(definition.query, Object.fromEntries(request.nextUrl.searchParams)) as Query)
        : undefined;
      const body = definition.body
        ? parseInput(definition.body, await readBody(request, definition.bodyLimit ?? DEFAULT_BODY_LIMIT))
        : undefined;
      const params = definition.params
        ? parseLink(definition.params, (await segment?.params) ?? {})
        : undefined;
      // Shaped at run time by the definition's schemas; the types above say what each route gets.
      const context = {
        request,
        session: caller.session,
        body,
        params,
        ...(onConnection ? connectionOf(query, request) : { query }),
      } as unknown as Context;
      const data = await definition.run(context);
      if (data instanceof Response) return data;
      if (definition.audit) await auditAs(caller, { ...definition.audit(context, data), outcome: "ok" });
      // A plain Response: NextResponse's cookie and URL helpers are not used here, and cost per answer.
      return jsonAnswer({ ok: true, data });
    } catch (error) {
      return errorResponse(failureOf(error, "route"));
    }
  }
}
