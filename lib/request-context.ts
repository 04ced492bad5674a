import "server-only";
import { cookies, headers } from "next/headers";
import { AppError } from "@/lib/errors";
import { clientAddressFrom, forwardedChain, hostOf, parseTrustedProxies } from "@/lib/request/forwarded";
import { frontDoorInstalled, ORIGIN_HEADER, PEER_HEADER } from "@/lib/request/front-door";
import { connectionConfigs, findConnection } from "@/lib/redis/registry";

export const CONNECTION_COOKIE = "console_connection";

/** Cookies as a request carries them: a route handler's `request.cookies`, or next/headers' cookies(). */
export interface CookieReader {
  get(name: string): { value: string } | undefined;
}

/**
 * The connection a request works on: the one it names, else the one the switcher picked
 * (a cookie), else the first configured. An unknown name is an error, never a silent fallback.
 */
export async function resolveConnectionId(requested?: string | null, jar?: CookieReader): Promise<string> {
  return connectionIdOf(requested, requested ? undefined : (jar ?? (await cookies())));
}

/** resolveConnectionId with the request's cookies at hand (a route handler has them). */
export function connectionIdOf(requested: string | null | undefined, jar: CookieReader | undefined): string {
  if (requested) return findConnection(requested).id;
  const picked = jar?.get(CONNECTION_COOKIE)?.value;
  const configs = connectionConfigs();
  return configs.find((c) => c.id === picked)?.id ?? configs[0]!.id;
}

const trusted = globalThis as unknown as { __consoleTrustedProxies?: ReturnType<typeof parseTrustedProxies> };

function trustedProxies() {
  trusted.__consoleTrustedProxies ??= parseTrustedProxies(process.env.CONSOLE_TRUSTED_PROXIES);
  return trusted.__consoleTrustedProxies;
}

type HeaderReader = Pick<Headers, "get">;

/**
 * The client's address: the socket's peer, or from a trusted proxy the right-most address it
 * forwarded that is not a trusted proxy itself (lib/request/forwarded). Without the front door
 * (a server started some other way) nothing a client sends is believed: "unknown".
 */
export function addressFrom(list: HeaderReader): string {
  const peer = list.get(PEER_HEADER);
  if (!frontDoorInstalled() || !peer) return "unknown";
  const trusted = trustedProxies();
  // Trusting no proxy, the peer is the client: the chain Next filled in is not read.
  if (trusted.kind === "none") return peer;
  return clientAddressFrom(trusted, peer, forwardedChain(list.get("x-forwarded-for"), list.get("forwarded")));
}

export async function clientAddress(): Promise<string> {
  return addressFrom(await headers());
}

/**
 * The console's own origin as the browser sees it. Host and scheme come from the request line and
 * socket, or from a trusted proxy's X-Forwarded-Host/-Proto: the front door has dropped them from
 * anyone else, and Next filled them in from the request itself.
 */
export function ownOriginFrom(list: HeaderReader): string | null {
  const host = (frontDoorInstalled() && list.get("x-forwarded-host")) || list.get("host");
  if (!host) return null;
  const proto = frontDoorInstalled() ? list.get("x-forwarded-proto")?.split(",")[0]?.trim() : undefined;
  return `${proto === "https" ? "https" : "http"}://${host.split(",")[0]!.trim()}`;
}

/** Whether the request came from a secure connection (directly, or as a trusted proxy says). */
export async function requestIsHttps(): Promise<boolean> {
  return (ownOriginFrom(await headers()) ?? "").startsWith("https://");
}

/** Cookies are Secure when configured so, or when this request came over HTTPS. */
export async function cookiesAreSecure(): Promise<boolean> {
  return process.env.CONSOLE_SECURE_COOKIES === "true" || (await requestIsHttps());
}

/**
 * Every state-changing request must come from the console's own pages (CSRF, DESIGN.md contract
 * 8): an `Origin` equal to the console's own origin, or, from a browser that sends no Origin,
 * `Sec-Fetch-Site: same-origin`. A request with neither is refused, whatever its cookie.
 */
export function requestOrigin(list: HeaderReader): string | null {
  return frontDoorInstalled() ? list.get(ORIGIN_HEADER) : list.get("origin");
}

export function assertSameOrigin(list: HeaderReader): void {
  const origin = requestOrigin(list);
  const own = ownOriginFrom(list);
  if (origin) {
    // Hosts, not schemes, are compared (as Next does for actions): behind a TLS proxy that is not
    // named as trusted, the console sees http while the browser says https.
    const host = hostOf(origin);
    if (own && host !== null && host === hostOf(own)) return;
  } else if (list.get("sec-fetch-site") === "same-origin") {
    return;
  }
  throw origin
    ? AppError.of("FORBIDDEN", "originRefused", { origin: origin.slice(0, 200) })
    : AppError.of("FORBIDDEN", "originMissing");
}
