import { NextResponse, type NextRequest } from "next/server";

// Two conveniences before a page renders: a per-request CSP nonce (Next puts it on its own
// scripts; nothing else may run), and a redirect to sign-in when there is no session cookie.
// Real checks happen in every page, route handler and action (DESIGN.md contract 5).

const SESSION_COOKIE = "console_session";

function contentSecurityPolicy(nonce: string): string {
  const dev = process.env.NODE_ENV !== "production";
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // Charts set style attributes; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    // The live stream's relay (public/live-worker.js): a SharedWorker, or a leader tab's worker.
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (
    pathname !== "/login" &&
    !request.cookies.has(SESSION_COOKIE) &&
    process.env.CONSOLE_ANONYMOUS_VIEWER !== "true"
  ) {
    const login = new URL("/login", request.url);
    if (pathname !== "/") login.searchParams.set("next", pathname + search);
    return NextResponse.redirect(login);
  }

  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = contentSecurityPolicy(nonce);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

export const config = {
  matcher: [
    {
      // Route handlers check sessions (or, /metrics, a token) themselves and answer JSON, streams or
      // text: no page, no nonce.
      source: "/((?!api/|metrics$|_next/static|_next/image|favicon.ico|icon.svg|live-worker.js).*)",
      missing: [{ type: "header", key: "next-action" }],
    },
  ],
};
