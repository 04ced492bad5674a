import { test as base, expect, type Cookie, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import Redis from "ioredis";
import { startStack, type E2EStack } from "@/tests/e2e/stack";
import { E2E_USERS, type E2EUser } from "@/tests/e2e/users";

/** Signs in through the form, as a person would. */
export async function signIn(page: Page, who: E2EUser, next = "/"): Promise<void> {
  const user = E2E_USERS[who];
  await page.goto(next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel("Username").fill(user.username);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("current-user")).toHaveText(user.username);
}

/**
 * The session each user last signed in with, in this worker. A person signs in once and keeps the
 * browser's session for the day; so do the tests, all but the first of each user's.
 */
const sessions = new Map<E2EUser, Cookie[]>();

/**
 * Opens `next` signed in as `who`: with the session this worker already holds for that user, or
 * through the form when there is none or it has ended (a test signed out everywhere, or an admin
 * ended it: the console then sends the page to sign in, and the form is used from there).
 */
async function signInReusing(page: Page, who: E2EUser, next = "/"): Promise<void> {
  const saved = sessions.get(who);
  if (saved) {
    await page.context().addCookies(saved);
    await page.goto(next);
    if (new URL(page.url()).pathname !== "/login") {
      await expect(page.getByTestId("current-user")).toHaveText(E2E_USERS[who].username);
      return;
    }
    sessions.delete(who);
  }
  await signIn(page, who, next);
  sessions.set(
    who,
    (await page.context().cookies()).filter((cookie) => cookie.name === "console_session"),
  );
}

interface Fixtures {
  redis: Redis;
  /** A key name unique to this test (`<prefix><random>` + suffix); deleted when the test ends. */
  scratchKey: (prefix: string, suffix?: string) => string;
  /** Deletes this key when the test ends. */
  trackKey: (key: string) => string;
  /** Signed in as `who` on `next`, reusing this worker's session for that user (see `signIn` for the form). */
  signInAs: (who: E2EUser, next?: string) => Promise<void>;
}

interface WorkerFixtures {
  /** This worker's own Redis servers and console instances (tests/e2e/stack.ts). */
  stack: E2EStack;
}

export const test = base.extend<Fixtures, WorkerFixtures>({
  // Started before this worker's first test, stopped after its last. Its ports also go to
  // process.env, for the helpers that read E2E_* when called.
  stack: [
    async ({}, use) => {
      const stack = await startStack();
      Object.assign(process.env, stack.env);
      try {
        await use(stack);
      } finally {
        await stack.stop();
      }
    },
    { scope: "worker", auto: true, timeout: 180_000 },
  ],
  baseURL: async ({ stack }, use) => {
    await use(stack.baseURL);
  },
  // A client of our own, to check what Redis really holds after the browser acted. Without ioredis's
  // ready check, which sends an INFO that the charts would rightly show as somebody else's.
  redis: async ({ stack }, use) => {
    const client = new Redis(stack.redisPort, "127.0.0.1", {
      protocol: 2,
      enableReadyCheck: false,
    });
    await use(client);
    client.disconnect();
  },
  trackKey: async ({ redis }, use) => {
    const made: string[] = [];
    await use((key) => {
      made.push(key);
      return key;
    });
    if (made.length) await redis.unlink(...made);
  },
  scratchKey: async ({ trackKey }, use) => {
    await use((prefix, suffix = "") => trackKey(`${prefix}${randomBytes(4).toString("hex")}${suffix}`));
  },
  signInAs: async ({ page }, use) => {
    await use((who, next) => signInReusing(page, who, next));
  },
});

export { expect };
