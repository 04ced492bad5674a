import "server-only";
import http from "node:http";
import https from "node:https";
import type { Socket } from "node:net";
import { AppError, type ErrorKey, type MessageValues } from "@/lib/errors";
import { errorTranslatorFor, localeOfHeaders } from "@/lib/i18n/server";
import { actionBodyProblemKey } from "@/lib/request/action-body";
import { countRequest } from "@/lib/request/idle-collect";
import { ACTION_BODY_LIMIT, formatLimit, MAX_PLAIN_BODY } from "@/lib/request/limits";
import {
  FORWARDED_HEADERS,
  hostOf,
  isTrustedProxy,
  normalizeAddress,
  parseTrustedProxies,
} from "@/lib/request/forwarded";
import { sendSmallAnswerWhole } from "@/lib/request/small-answer";

// The first thing to see each request this process serves, before Next does.
//
// 1. Who sent it. Next keeps an `X-Forwarded-For`, `-Host` or `-Proto` a client sent and fills them
//    in from the socket only when they are missing (base-server: `??=`), so past it nobody can tell
//    a proxy's word from a client's claim. Here the socket's address goes into a header of our own
//    (always overwritten, so it cannot be forged), and the forwarded headers are dropped unless
//    the peer is a trusted proxy (lib/request/forwarded). Next then fills them from the socket, so
//    its own checks (the server actions' Origin check, redirects) and ours see only what is true.
// 2. Where it came from. The Origin is kept in a header of our own for lib/auth/guard, which
//    refuses a foreign one with 403 and audits it. Next refuses a server action from a foreign
//    Origin itself, but with a bare 500; so for actions a foreign Origin is taken off before Next
//    looks, and the guard (which every action runs first) refuses it instead.
// 3. Whether a server action's body can be decoded: it is held back until complete, checked
//    (lib/request/action-body) and only then given to Next, or answered 400 (Next would say 500).
// 4. Whether its path can be decoded. Next answers a path segment that is not valid
//    percent-encoding (`/api/keys/%zz`) with a bare 500 before any route runs; API paths get a 400
//    here, pages the console's "not found" page.
// 5. How much it says it carries. A declared body over what any endpoint of its kind accepts is
//    answered 413 at once, unread (DESIGN.md contract 8); route handlers also count what they read.
// 6. The security headers every answer carries (pages, route handlers, actions, static files, and
//    the refusals above). Set here, on the response before anyone writes it, they cost five
//    setHeader calls; set by next.config.js `headers()`, Next matched a `/:path*` rule and decoded
//    its parameters on every request (about 35 µs of the server's time under load). The
//    Content-Security-Policy carries a per-request nonce, so proxy.ts sets it for pages.
// 7. That it came: a quiet console after a busy spell gets one full garbage collection
//    (lib/request/idle-collect).
// 8. A server action's small answer goes out whole, not gzipped (lib/request/small-answer).

/** On every answer (see 6 above). */
const SECURITY_HEADERS: readonly (readonly [string, string])[] = [
  ["X-Content-Type-Options", "nosniff"],
  ["X-Frame-Options", "DENY"],
  ["Referrer-Policy", "no-referrer"],
  ["Permissions-Policy", "camera=(), microphone=(), geolocation=()"],
  ["Cross-Origin-Opener-Policy", "same-origin"],
];

export const PEER_HEADER = "x-console-peer";
export const ORIGIN_HEADER = "x-console-origin";

const installed = globalThis as unknown as { __consoleFrontDoor?: boolean };

/** Whether the front door runs in this process: without it, forwarded headers cannot be believed. */
export function frontDoorInstalled(): boolean {
  return installed.__consoleFrontDoor === true;
}

type Emit = (event: string | symbol, ...args: unknown[]) => boolean;
type Trust = ReturnType<typeof parseTrustedProxies>;

interface Peer {
  address: string;
  trusted: boolean;
}

/** A keep-alive socket carries many requests from one peer: its verdict is worked out once. */
const peers = new WeakMap<Socket, Peer>();

function peerOf(socket: Socket | undefined, trust: Trust): Peer {
  const known = socket && peers.get(socket);
  if (known) return known;
  const address = normalizeAddress(socket?.remoteAddress ?? "");
  const peer = { address, trusted: address !== "" && isTrustedProxy(trust, address) };
  // A socket already closed has no address: nothing is remembered for it.
  if (socket && address) peers.set(socket, peer);
  return peer;
}

function markPeer(request: http.IncomingMessage, trust: Trust): void {
  const peer = peerOf(request.socket as Socket | undefined, trust);
  const headers = request.headers;
  if (!peer.trusted) {
    for (const name of FORWARDED_HEADERS) delete headers[name];
  }
  headers[PEER_HEADER] = peer.address || "unknown";
}

function keepOrigin(request: http.IncomingMessage): void {
  const headers = request.headers;
  const origin = headers.origin;
  if (origin === undefined) {
    delete headers[ORIGIN_HEADER];
    return;
  }
  headers[ORIGIN_HEADER] = origin;
  const host = (headers["x-forwarded-host"] as string | undefined) ?? headers.host;
  if (headers["next-action"] && hostOf(origin) !== host?.split(",")[0]?.trim().toLowerCase()) {
    delete headers.origin;
  }
}

function declaredTooLarge(request: http.IncomingMessage): number | null {
  const declared = Number(request.headers["content-length"]);
  if (!Number.isFinite(declared)) return null;
  const limit = request.headers["next-action"] ? ACTION_BODY_LIMIT : MAX_PLAIN_BODY;
  return declared > limit ? limit : null;
}

/** Answers here, before Next: JSON as the wrappers write it, in the language the request asks for. */
function refuse(request: http.IncomingMessage, response: http.ServerResponse, error: AppError): void {
  if (response.headersSent) return;
  const locale = localeOfHeaders(
    headerText(request.headers.cookie),
    headerText(request.headers["accept-language"]),
  );
  response.writeHead(error.status, {
    "Content-Type": "application/json",
    "Cache-Control": "no-store",
    Connection: "close",
  });
  response.end(JSON.stringify({ ok: false, error: error.toBody(errorTranslatorFor(locale)) }));
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(", ") : value;
}

function invalid(key: ErrorKey, values?: MessageValues): AppError {
  return AppError.of("INVALID", key, values);
}

function refuseTooLarge(request: http.IncomingMessage, response: http.ServerResponse, limit: number): void {
  refuse(
    request,
    response,
    AppError.of("PAYLOAD_TOO_LARGE", "requestTooLarge", { limit: formatLimit(limit) }),
  );
}

/** Whether some segment of the path is not valid percent-encoding. */
function malformedPath(url: string | undefined): boolean {
  const path = (url ?? "/").split("?")[0]!;
  // Only a `%` escape can fail to decode: most paths have none, and cost no work per request.
  if (!path.includes("%")) return false;
  try {
    for (const segment of path.split("/")) decodeURIComponent(segment);
    return false;
  } catch {
    return true;
  }
}

type Push = (chunk: unknown, encoding?: BufferEncoding) => boolean;

/**
 * Holds a server action's body back from Next until it has all arrived (bounded by the action
 * limit), then checks it: a body Next can decode is put back where Next reads it and the request
 * goes on (`proceed`); any other is answered here.
 */
function checkActionBody(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  proceed: () => void,
): void {
  const stream = request as unknown as { push: Push };
  const push = stream.push.bind(request);
  const chunks: Buffer[] = [];
  let size = 0;
  let done = false;
  stream.push = (chunk, encoding) => {
    if (done) return push(chunk, encoding);
    if (chunk !== null) {
      const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, encoding);
      size += bytes.length;
      if (size > ACTION_BODY_LIMIT) {
        done = true;
        refuseTooLarge(request, response, ACTION_BODY_LIMIT);
        request.socket.destroySoon?.();
        return false;
      }
      chunks.push(bytes);
      return true;
    }
    done = true;
    stream.push = push;
    const body = Buffer.concat(chunks);
    const problem = actionBodyProblemKey(request.headers["content-type"], body.toString("utf8"));
    if (problem) {
      refuse(request, response, invalid(problem));
      return false;
    }
    if (body.length > 0) push(body);
    const ended = push(null);
    proceed();
    return ended;
  };
}

export function installFrontDoor(): void {
  if (installed.__consoleFrontDoor) return;
  const trust = parseTrustedProxies(process.env.CONSOLE_TRUSTED_PROXIES);
  for (const Server of [http.Server, https.Server]) {
    const proto = Server.prototype as unknown as { emit: Emit };
    const emit = proto.emit;
    proto.emit = function (this: unknown, event, ...args) {
      if (event === "request") {
        const request = args[0] as http.IncomingMessage;
        const response = args[1] as http.ServerResponse;
        countRequest();
        for (const [name, value] of SECURITY_HEADERS) response.setHeader(name, value);
        markPeer(request, trust);
        keepOrigin(request);
        if (malformedPath(request.url)) {
          if (request.url?.startsWith("/api/")) {
            refuse(request, response, invalid("badPercentEncoding"));
            return true;
          }
          request.url = "/not-a-valid-address";
        }
        const limit = declaredTooLarge(request);
        if (limit !== null) {
          refuseTooLarge(request, response, limit);
          return true;
        }
        if (request.headers["next-action"] && request.method === "POST") {
          sendSmallAnswerWhole(response);
          checkActionBody(request, response, () => emit.call(this, event, ...args));
          return true;
        }
      }
      return emit.call(this, event, ...args);
    };
  }
  installed.__consoleFrontDoor = true;
}
