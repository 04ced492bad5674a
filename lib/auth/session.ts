import "server-only";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { jwtVerify, SignJWT } from "jose";
import { cookies, headers } from "next/headers";
import { dataDir } from "@/lib/data-dir";
import { isRole, type Role } from "@/lib/auth/roles";
import { anonymousViewerEnabled, findUser } from "@/lib/auth/users";

// Sessions are signed cookies (JWT, HS256): any console instance holding the same secret can
// check them, so instances stay stateless behind a load balancer.

export const SESSION_COOKIE = "console_session";
const ISSUER = "redis-ml-console";

export interface Session {
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

export async function createSessionToken(username: string, role: Role): Promise<string> {
  return new SignJWT({ role })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(username)
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(`${sessionMaxAgeSeconds()}s`)
    .sign(sessionSecret());
}

/** Verifies a token and re-reads the user, so a removed user or a changed role takes effect at once. */
export async function readSessionToken(token: string | undefined): Promise<Session | null> {
  if (!token) return null;
  try {
    const { payload } = await jwtVerify(token, sessionSecret(), { issuer: ISSUER, algorithms: ["HS256"] });
    if (!payload.sub || !isRole(payload.role) || !payload.exp) return null;
    const user = await findUser(payload.sub);
    if (!user) return null;
    return { username: user.username, role: user.role, anonymous: false, expiresAt: payload.exp * 1000 };
  } catch {
    return null;
  }
}

/** The current request's session; the anonymous viewer only when explicitly enabled. */
export async function getSession(): Promise<Session | null> {
  const jar = await cookies();
  const session = await readSessionToken(jar.get(SESSION_COOKIE)?.value);
  if (session) return session;
  if (anonymousViewerEnabled()) {
    return { username: "anonymous", role: "viewer", anonymous: true, expiresAt: Number.POSITIVE_INFINITY };
  }
  return null;
}

async function requestIsHttps(): Promise<boolean> {
  if (process.env.CONSOLE_SECURE_COOKIES === "true") return true;
  const proto = (await headers()).get("x-forwarded-proto");
  return proto?.split(",")[0]?.trim() === "https";
}

export async function setSessionCookie(token: string): Promise<void> {
  const jar = await cookies();
  jar.set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: await requestIsHttps(),
    path: "/",
    maxAge: sessionMaxAgeSeconds(),
  });
}

export async function clearSessionCookie(): Promise<void> {
  (await cookies()).delete(SESSION_COOKIE);
}
