import "server-only";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { jwtVerify, SignJWT } from "jose";
import { cookies } from "next/headers";
import { cache } from "react";
import { dataDir } from "@/lib/data-dir";
import { isRole, type Role } from "@/lib/auth/roles";
import {
  createStoredSession,
  endStoredSession,
  isSessionId,
  passwordFingerprint,
  readStoredSession,
  rememberedStoredSession,
  type SessionFacts,
} from "@/lib/auth/session-store";
import { anonymousViewerEnabled, findUser, knownUser, type ConsoleUser } from "@/lib/auth/users";
import { cookiesAreSecure, type CookieReader } from "@/lib/request-context";

// A session is a signed cookie (JWT, HS256) naming a session kept in console state
// (lib/auth/session-store): the signature proves the cookie is ours, the stored session that it
// has not been ended. Sign-out, a changed password or role, a removed user or an admin end it at
// once, on every instance; instances keep nothing of their own.

export const SESSION_COOKIE = "console_session";
const ISSUER = "redis-ml-console";

export interface Session {
  /** The stored session's id; empty for the anonymous viewer. */
  id: string;
  username: string;
  role: Role;
  anonymous: boolean;
  expiresAt: number;
}

export function sessionMaxAgeSeconds(): number {
  const value = Number(process.env.CONSOLE_SESSION_MAX_AGE ?? 8 * 3600);
  return Number.isFinite(value) && value > 0 ? value : 8 * 3600;
}

const globalSecret = globalThis as unknown as { __consoleSessionSecret?: Uint8Array };

/** CONSOLE_SESSION_SECRET, or a random secret generated once and kept in the data folder. */
function sessionSecret(): Uint8Array {
  if (globalSecret.__consoleSessionSecret) return globalSecret.__consoleSessionSecret;
  let secret = process.env.CONSOLE_SESSION_SECRET;
  if (secret !== undefined && secret.length < 32) {
    throw new Error("CONSOLE_SESSION_SECRET must be at least 32 characters.");
  }
  if (!secret) {
    const file = path.join(dataDir(), "session-secret");
    try {
      secret = readFileSync(file, "utf8").trim();
    } catch {
      secret = randomBytes(48).toString("base64url");
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
    }
  }
  globalSecret.__consoleSessionSecret = new TextEncoder().encode(secret);
  return globalSecret.__consoleSessionSecret;
}

export async function createSessionToken(username: string, role: Role, sessionId: string): Promise<string> {
  return new SignJWT({ role, sid: sessionId })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(username)
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(`${sessionMaxAgeSeconds()}s`)
    .sign(sessionSecret());
}

/** Starts a session for a user who just proved who they are: stored, then the cookie. */
export async function startSession(user: ConsoleUser, address: string): Promise<void> {
  const id = await createStoredSession({
    username: user.username,
    role: user.role,
    credential: user.credential,
    address,
    maxAgeMs: sessionMaxAgeSeconds() * 1000,
  });
  await setSessionCookie(await createSessionToken(user.username, user.role, id));
}

interface Claims {
  username: string;
  sessionId: string;
  expiresAt: number;
}

/**
 * Tokens whose signature was checked lately, with their claims. The same cookie comes with every
 * request, and checking its HMAC through WebCrypto again each time cost more than the rest of a
 * signed-in request's own work (bench/RESULTS.md, issue 15). A token is immutable, so a string
 * seen verified stays verified until it expires; whether its session still stands is asked of
 * console state every time (readSessionToken). Bounded: the oldest entry goes first.
 */
const VERIFIED_LIMIT = 1_000;
const globalVerified = globalThis as unknown as { __consoleVerifiedTokens?: Map<string, Claims> };

function verifiedTokens(): Map<string, Claims> {
  globalVerified.__consoleVerifiedTokens ??= new Map();
  return globalVerified.__consoleVerifiedTokens;
}

/** The claims of a token verified lately and not yet expired; else undefined. */
function knownClaims(token: string): Claims | undefined {
  const known = verifiedTokens().get(token);
  return known && known.expiresAt > Date.now() ? known : undefined;
}

async function verifiedClaims(token: string): Promise<Claims | null> {
  const known = knownClaims(token);
  if (known) return known;
  verifiedTokens().delete(token); // expired, if it was there
  try {
    const { payload } = await jwtVerify(token, sessionSecret(), { issuer: ISSUER, algorithms: ["HS256"] });
    if (!payload.sub || !isRole(payload.role) || !payload.exp || !isSessionId(payload.sid)) return null;
    const claims = { username: payload.sub, sessionId: payload.sid, expiresAt: payload.exp * 1000 };
    remember(token, claims);
    return claims;
  } catch {
    return null;
  }
}

function remember(token: string, claims: Claims): void {
  const tokens = verifiedTokens();
  tokens.set(token, claims);
  if (tokens.size > VERIFIED_LIMIT) tokens.delete(tokens.keys().next().value!);
}

/**
 * Verifies a token, then that its stored session still stands and still fits the user as
 * configured now: a removed user, or a role or password changed since sign-in, ends the session.
 * Console state being unreachable is an error (UNAVAILABLE), never a pass.
 */
export async function readSessionToken(token: string | undefined): Promise<Session | null> {
  if (!token) return null;
  const claims = await verifiedClaims(token);
  if (!claims) return null;
  const stored = await readStoredSession(claims.sessionId);
  if (!stored || stored.username !== claims.username) return null;
  const session = sessionOf(claims, stored, await findUser(claims.username));
  if (!session) await endStoredSession(claims.sessionId);
  return session;
}

/** The session, if the stored one still fits the user as configured now; else null. */
function sessionOf(claims: Claims, stored: SessionFacts, user: ConsoleUser | undefined): Session | null {
  if (!user || user.role !== stored.role || passwordFingerprint(user.credential) !== stored.fingerprint) {
    return null;
  }
  return {
    id: claims.sessionId,
    username: user.username,
    role: user.role,
    anonymous: false,
    expiresAt: claims.expiresAt,
  };
}

/**
 * readSessionToken without waiting, when all it asks was answered a moment ago: the token's
 * signature checked, its stored session remembered while this process listens for ended sessions
 * (lib/auth/session-cache), the users read within the second. Else undefined: ask readSessionToken,
 * which also ends a session that no longer fits its user. A signed-in request's promises cost more
 * CPU than the rest of its own work (bench/RESULTS.md, 2026-12-05).
 */
export function knownSession(jar: CookieReader): Session | undefined {
  const token = jar.get(SESSION_COOKIE)?.value;
  const claims = token ? knownClaims(token) : undefined;
  if (!claims) return undefined;
  const stored = rememberedStoredSession(claims.sessionId);
  if (!stored || stored.username !== claims.username) return undefined;
  return sessionOf(claims, stored, knownUser(claims.username)) ?? undefined;
}

/**
 * The current request's session; the anonymous viewer only when explicitly enabled. A route handler
 * passes its request's cookies, which it has at hand: cookies() costs a dynamic-API lookup per call.
 */
export async function getSession(jar?: CookieReader): Promise<Session | null> {
  const cookieJar = jar ?? (await cookies());
  const session = await readSessionToken(cookieJar.get(SESSION_COOKIE)?.value);
  if (session) return session;
  if (anonymousViewerEnabled()) {
    return {
      id: "",
      username: "anonymous",
      role: "viewer",
      anonymous: true,
      expiresAt: Number.POSITIVE_INFINITY,
    };
  }
  return null;
}

/**
 * getSession for pages: the layout and the page both ask while rendering one request, and React's
 * cache (which lasts one server render) makes that one check of console state, not two.
 */
export const getPageSession = cache(getSession);

export async function setSessionCookie(token: string): Promise<void> {
  const jar = await cookies();
  jar.set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: await cookiesAreSecure(),
    path: "/",
    maxAge: sessionMaxAgeSeconds(),
  });
}

export async function clearSessionCookie(): Promise<void> {
  (await cookies()).delete(SESSION_COOKIE);
}
