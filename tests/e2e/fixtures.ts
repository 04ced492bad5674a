import { test as base, expect, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import Redis from "ioredis";
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

interface Fixtures {
  redis: Redis;
  /** A key name unique to this test (`<prefix><random>` + suffix); deleted when the test ends. */
  scratchKey: (prefix: string, suffix?: string) => string;
  /** Deletes this key when the test ends. */
  trackKey: (key: string) => string;
  signInAs: (who: E2EUser, next?: string) => Promise<void>;
}

export const test = base.extend<Fixtures>({
  // A client of our own, to check what Redis really holds after the browser acted.
  redis: async ({}, use) => {
    const client = new Redis(Number(process.env.E2E_REDIS_PORT), "127.0.0.1", { protocol: 2 });
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
    await use((who, next) => signIn(page, who, next));
  },
});

export { expect };
