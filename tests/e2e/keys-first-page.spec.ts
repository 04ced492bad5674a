// The keys list's first page comes with the page's HTML (issue 15): the server reads it as it
// renders, and the browser shows it without asking /api/keys for it again.
import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { expect, test } from "@/tests/e2e/fixtures";
import { rawRequest } from "@/tests/e2e/raw-http";

/** The page's words as a reader sees them: no tags, no React's text separators. */
const wordsOf = (html: string) => html.replace(/<!--.*?-->/g, "").replace(/<[^>]+>/g, "");

async function cookieHeader(page: Page): Promise<string> {
  return (await page.context().cookies()).map((cookie) => `${cookie.name}=${cookie.value}`).join("; ");
}

test("the keys page's HTML holds the rows of its first page, as Redis has them", async ({
  page,
  signInAs,
  redis,
  trackKey,
}) => {
  const prefix = `first-page-${randomBytes(4).toString("hex")}:`;
  const names = ["alpha", "beta", "gamma"].map((name) => trackKey(`${prefix}${name}`));
  for (const name of names) await redis.set(name, "v");
  await signInAs("viewer");
  const cookie = await cookieHeader(page);

  const searched = await rawRequest({
    path: `/keys?pattern=${encodeURIComponent(`${prefix}*`)}`,
    headers: { cookie },
  });
  expect(searched.status).toBe(200);
  // Rendered rows, not only data for the browser to render: the attribute is the row element's.
  for (const name of names) expect(searched.text).toContain(`data-key="${name}"`);
  expect(wordsOf(searched.text)).toContain(`3 keys matching ${prefix}* found`);

  // Every key: the HTML arrives with the rows the table shows, a screenful of the first page.
  const all = await rawRequest({ path: "/keys", headers: { cookie } });
  expect(all.status).toBe(200);
  const rows = all.text.match(/data-testid="key-row"/g) ?? [];
  expect(rows.length).toBeGreaterThanOrEqual(10);
  const count = /([\d,]+) keys found so far/.exec(wordsOf(all.text))?.[1];
  expect(Number(count?.replace(/,/g, ""))).toBeGreaterThanOrEqual(100);

  // Without a session the page reads nothing: it sends the visitor to sign in.
  const anonymous = await rawRequest({ path: `/keys?pattern=${encodeURIComponent(`${prefix}*`)}` });
  expect(anonymous.text).not.toContain(`data-key="${names[0]}"`);
});

test("the browser shows the server's first page without asking /api/keys for it, and continues from it", async ({
  page,
  signInAs,
}) => {
  await signInAs("viewer");
  const firstPages: string[] = [];
  const continuations: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    // Continuing streams the rest (GET /api/keys/stream from the page's cursor).
    if (url.pathname === "/api/keys/stream" && url.searchParams.get("cursor")) continuations.push(url.search);
    if (url.pathname !== "/api/keys") return;
    (url.searchParams.get("cursor") ? continuations : firstPages).push(url.search);
  });
  // A server render the browser disagrees with is thrown away and redrawn (React error 418).
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") pageErrors.push(message.text());
  });

  await page.goto("/keys");
  await expect(page.getByTestId("key-row").first()).toBeVisible();
  const count = async () =>
    Number((await page.getByTestId("key-count").innerText()).match(/^([\d,]+)/)![1]!.replace(/,/g, ""));
  const before = await count();
  expect(before).toBeGreaterThanOrEqual(100);
  // The page is live (hydrated): continuing asks for the rest, from the server page's cursor.
  await page.getByRole("button", { name: "Continue scanning" }).click();
  await expect.poll(count).toBeGreaterThan(before);
  expect(continuations.length).toBeGreaterThan(0);
  expect(firstPages).toEqual([]);
  expect(pageErrors).toEqual([]);
});

test("a new search after the server's page asks for that search's keys", async ({
  page,
  signInAs,
  redis,
  trackKey,
}) => {
  const prefix = `first-page-${randomBytes(4).toString("hex")}:`;
  const name = trackKey(`${prefix}only`);
  await redis.set(name, "v");
  await signInAs("viewer", "/keys");
  await expect(page.getByTestId("key-row").first()).toBeVisible();

  await page.getByLabel("Pattern").fill(`${prefix}*`);
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page.getByTestId("key-row")).toHaveCount(1);
  await expect(page.getByTestId("key-row")).toHaveAttribute("data-key", name);
});
