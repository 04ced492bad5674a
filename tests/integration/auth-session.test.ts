import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import { createSessionToken, knownSession, readSessionToken, SESSION_COOKIE } from "@/lib/auth/session";
import { isListeningForEndedSessions } from "@/lib/auth/session-cache";
import {
  createStoredSession,
  endStoredSession,
  endStoredSessionsOf,
  listStoredSessions,
  readStoredSession,
} from "@/lib/auth/session-store";
import { findUser } from "@/lib/auth/users";
import { knownCaller } from "@/lib/auth/guard";
import { runChildInstance } from "@/tests/helpers/instance";
import { monitorCommands } from "@/tests/helpers/monitor";
import { withConsoleRedis } from "@/tests/helpers/redis";

// Sessions kept in console state (DESIGN.md contract 9): a cookie is only as good as the stored
// session it names. A process uses what it checked a moment ago only while it hears every end
// (lib/auth/session-cache.ts); another console process is a child process here.

const redis = withConsoleRedis("main");
const dir = mkdtempSync(path.join(os.tmpdir(), "console-sessions-"));
const usersFile = path.join(dir, "users.json");

async function writeUsers(users: { username: string; role: string; password: string }[]): Promise<void> {
  const list = await Promise.all(
    users.map(async (u) => ({
      username: u.username,
      role: u.role,
      passwordHash: await hashPassword(u.password),
    })),
  );
  writeFileSync(usersFile, JSON.stringify(list));
}

/** What signing in does: a stored session, and a cookie naming it. */
async function signIn(username: string): Promise<string> {
  const user = (await findUser(username))!;
  const id = await createStoredSession({
    username,
    role: user.role,
    credential: user.credential,
    address: "198.51.100.4",
    maxAgeMs: 3_600_000,
  });
  return createSessionToken(username, user.role, id);
}

/** Scripts Redis ran (the stored-session check is one). */
async function scriptCalls(): Promise<number> {
  const stats = await redis.client.info("commandstats");
  return [...stats.matchAll(/cmdstat_(?:evalsha|eval):calls=(\d+)/g)].reduce(
    (sum, [, n]) => sum + Number(n),
    0,
  );
}

/** Until this process listens for ended sessions (its subscriber connects on first use). */
async function listening(): Promise<void> {
  await expect.poll(() => isListeningForEndedSessions(), { timeout: 5_000 }).toBe(true);
}

/** A request's cookies carrying the session cookie `token`. */
const cookiesWith = (token: string) => ({
  get: (name: string) => (name === SESSION_COOKIE ? { value: token } : undefined),
});

/** What a signed-in request's fast path knows of `token` without waiting (lib/auth/guard knownCaller). */
const known = (token: string) => knownSession(cookiesWith(token));

const waitForUsersReread = () => new Promise((resolve) => setTimeout(resolve, 1_100));

beforeAll(async () => {
  process.env.CONSOLE_SESSION_SECRET = "s".repeat(40);
  process.env.CONSOLE_USERS_FILE = usersFile;
  await writeUsers([
    { username: "ana", role: "editor", password: "ana-password" },
    { username: "otto", role: "operator", password: "otto-password" },
  ]);
});

describe("stored sessions", () => {
  it("a cookie replayed after sign-out is refused", async () => {
    const token = await signIn("ana");
    await listening();
    expect(known(token)).toBeUndefined();
    const session = await readSessionToken(token);
    expect(session).toMatchObject({ username: "ana", role: "editor" });
    expect(known(token)).toEqual(session);
    await endStoredSession(session!.id);
    expect(known(token)).toBeUndefined();
    expect(await readSessionToken(token)).toBeNull();
    expect(await redis.client.exists(`__console:session:${session!.id}`)).toBe(0);
  });

  it("a token checked once is still refused once expired or altered", async () => {
    process.env.CONSOLE_SESSION_MAX_AGE = "1";
    try {
      const token = await signIn("ana");
      expect(await readSessionToken(token)).toMatchObject({ username: "ana" });
      // The same string again: its signature is not re-checked, but its expiry and any change are.
      const [header, payload] = token.split(".");
      const altered = `${header}.${payload}.${"A".repeat(43)}`;
      expect(await readSessionToken(altered)).toBeNull();
      const claims = JSON.parse(Buffer.from(payload!, "base64url").toString()) as {
        exp: number;
        sid: string;
      };
      await new Promise((resolve) => setTimeout(resolve, claims.exp * 1000 - Date.now() + 50));
      expect(await readSessionToken(token)).toBeNull();
      await endStoredSession(claims.sid);
    } finally {
      delete process.env.CONSOLE_SESSION_MAX_AGE;
    }
  });

  it("a token without a stored session, or with a forged id, is refused", async () => {
    const forged = await createSessionToken("ana", "editor", "A".repeat(22));
    expect(await readSessionToken(forged)).toBeNull();
  });

  it("a changed role or password ends the session at once", async () => {
    const ana = await signIn("ana");
    const otto = await signIn("otto");
    await listening();
    expect(await readSessionToken(ana)).not.toBeNull();
    expect(known(ana)).toMatchObject({ role: "editor" });
    await waitForUsersReread();
    // The users file was checked over a second ago: the fast path no longer answers for it.
    expect(known(ana)).toBeUndefined();
    await writeUsers([
      { username: "ana", role: "viewer", password: "ana-password" },
      { username: "otto", role: "operator", password: "new-otto-password" },
    ]);
    await waitForUsersReread();
    expect(known(ana)).toBeUndefined();
    expect(await readSessionToken(ana)).toBeNull();
    expect(known(ana)).toBeUndefined();
    expect(await readSessionToken(otto)).toBeNull();
    // Ended in Redis, not just refused once.
    expect(await redis.client.keys("__console:session:*")).toHaveLength(0);
    await writeUsers([
      { username: "ana", role: "editor", password: "ana-password" },
      { username: "otto", role: "operator", password: "otto-password" },
    ]);
    await waitForUsersReread();
  });

  it("answers a request without waiting only where guard would let it through", async () => {
    const token = await signIn("ana");
    await listening();
    const session = (await readSessionToken(token))!;
    const cookies = cookiesWith(token);
    const ask = (role: "viewer" | "editor" | "admin" | "public", mutating: boolean, origin?: string) =>
      knownCaller({
        role,
        mutating,
        what: "test",
        headers: new Headers({ host: "console.test", ...(origin ? { origin } : {}) }),
        cookies,
      });
    expect(ask("editor", false)?.session).toMatchObject({ username: "ana", role: "editor" });
    expect(ask("editor", true, "http://console.test")?.session).toMatchObject({ username: "ana" });
    expect(ask("public", false)).toMatchObject({ session: null });
    // Refusals are left to guard, which audits them.
    expect(ask("admin", false)).toBeUndefined();
    expect(ask("editor", true, "https://evil.test")).toBeUndefined();
    expect(ask("editor", true)).toBeUndefined();
    await endStoredSession(session.id);
  });

  it("signing out everywhere ends all of one user's sessions and no one else's", async () => {
    const tokens = await Promise.all([signIn("ana"), signIn("ana"), signIn("ana")]);
    const other = await signIn("otto");
    expect(await endStoredSessionsOf("ana")).toBe(3);
    for (const token of tokens) expect(await readSessionToken(token)).toBeNull();
    expect(await readSessionToken(other)).toMatchObject({ username: "otto" });
  });

  it("lists active sessions page by page with who, where from and since when", async () => {
    await redis.client.del("__console:sessions");
    for (let i = 0; i < 5; i++) await signIn(i % 2 ? "ana" : "otto");
    const first = await listStoredSessions({ count: 2 });
    expect(first.total).toBe(5);
    expect(first.sessions).toHaveLength(2);
    expect(first.sessions[0]).toMatchObject({ address: "198.51.100.4" });
    expect(first.sessions[0]!.since).toBeGreaterThan(Date.now() - 60_000);
    const pages = [first];
    while (pages.at(-1)!.nextOffset !== null) {
      pages.push(await listStoredSessions({ offset: pages.at(-1)!.nextOffset!, count: 2 }));
    }
    const ids = pages.flatMap((page) => page.sessions.map((s) => s.id));
    expect(new Set(ids).size).toBe(5);
  });

  it("checks a session in one round trip and notes when it was last seen, then uses the answer a moment", async () => {
    const user = (await findUser("ana"))!;
    const id = await createStoredSession({
      username: "ana",
      role: user.role,
      credential: user.credential,
      address: "198.51.100.4",
      maxAgeMs: 3_600_000,
    });
    const key = `__console:session:${id}`;
    await redis.client.hset(key, "seen", "0");
    await listening();
    const commands: string[] = [];
    const monitor = await monitorCommands(redis.server.port, ({ args }) =>
      commands.push(args[0]!.toLowerCase()),
    );
    await readStoredSession(id);
    // Asked again within the moment: this process heard of no end, so console state is not asked.
    await readStoredSession(id);
    await new Promise((resolve) => setTimeout(resolve, 200));
    monitor.stop();
    expect(commands.filter((c) => c === "evalsha" || c === "eval")).toHaveLength(1);
    expect(commands.filter((c) => !["evalsha", "eval", "hmget", "hset"].includes(c))).toEqual([]);
    expect(Number(await redis.client.hget(key, "seen"))).toBeGreaterThan(Date.now() - 10_000);
  });

  it("a session another instance ends is refused here at once, though checked here a moment before", async () => {
    const token = await signIn("otto");
    await listening();
    const session = (await readSessionToken(token))!;
    expect(session).toMatchObject({ username: "otto" });
    const evalsBefore = await scriptCalls();
    expect(await readSessionToken(token)).toMatchObject({ username: "otto" });
    expect(await scriptCalls()).toBe(evalsBefore);
    // Another console process signs the session out: it deletes it and tells every instance.
    expect(known(token)).toEqual(session);
    expect(await runChildInstance("end-session", session.id)).toEqual({ ended: "otto" });
    expect(known(token)).toBeUndefined();
    expect(await readSessionToken(token)).toBeNull();
  });

  it("forgets what it checked when it stops hearing of ended sessions, until it hears again", async () => {
    const token = await signIn("otto");
    await listening();
    expect(await readSessionToken(token)).not.toBeNull();
    // The subscriber's connection drops: a message sent meanwhile would be lost, so what this
    // process remembered is forgotten, and the next check asks console state.
    await redis.client.call("CLIENT", "KILL", "TYPE", "pubsub", "SKIPME", "yes");
    await expect.poll(() => isListeningForEndedSessions(), { interval: 5, timeout: 5_000 }).toBe(false);
    expect(known(token)).toBeUndefined();
    const dropped = await scriptCalls();
    expect(await readSessionToken(token)).not.toBeNull();
    expect(await scriptCalls()).toBe(dropped + 1);
    // Listening again: one check, then its answer for a moment.
    await listening();
    const again = await scriptCalls();
    expect(await readSessionToken(token)).not.toBeNull();
    expect(await readSessionToken(token)).not.toBeNull();
    expect(await scriptCalls()).toBe(again + 1);
  });

  it("refuses, rather than passes, when console state cannot be reached", async () => {
    const token = await signIn("ana");
    await redis.server.stop();
    await expect(readSessionToken(token)).rejects.toMatchObject({ code: "UNAVAILABLE" });
  });
});
