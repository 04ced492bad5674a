import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { displayBytes, toKeyRef } from "@/lib/redis/keys";
import { expect, test } from "@/tests/e2e/fixtures";

const unique = () => randomBytes(4).toString("hex");

/** Rows whose key displays exactly as `display` (compared in the page, so backslashes need no CSS escaping). */
function keyRows(page: Page, display: string) {
  return page
    .getByTestId("key-row")
    .filter({ has: page.getByTestId("key-link").getByText(display, { exact: true }) });
}

async function searchKeys(page: Page, pattern: string) {
  await page.getByLabel("Pattern").fill(pattern);
  await page.getByRole("button", { name: "Search", exact: true }).click();
}

test("an operator finds a key with \\xff bytes by pattern, deletes it after a confirm, and only that key is gone", async ({
  page,
  redis,
  signInAs,
}) => {
  const rand = unique();
  const key = Buffer.concat([Buffer.from("e2e:bin:"), Buffer.from([0xff, 0x00]), Buffer.from(rand)]);
  const nearNamesake = Buffer.concat([Buffer.from("e2e:bin:"), Buffer.from([0x00]), Buffer.from(rand)]);
  await redis.set(key, "binary-named value");
  await redis.set(nearNamesake, "keep me");
  try {
    const display = displayBytes(key);
    expect(display).toBe(`e2e:bin:\\xff\\x00${rand}`);
    await signInAs("operator", "/keys");
    await searchKeys(page, `e2e:bin:\\xff*${rand}`);
    await expect(page.getByTestId("key-row")).toHaveCount(1);
    await expect(keyRows(page, display)).toHaveCount(1);
    await expect(page.getByTestId("scan-progress")).toContainText("Scanned all");

    await keyRows(page, display).getByTestId("key-link").click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(display);
    await expect(page.getByTestId("key-type")).toHaveText("string");
    await expect(page.getByTestId("string-reader")).toContainText("binary-named value");

    await page.getByRole("button", { name: "Delete", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Delete key" });
    await expect(dialog.getByTestId("delete-key-name")).toHaveText(display);
    await dialog.getByRole("button", { name: "Delete key" }).click();
    await expect(page).toHaveURL(/\/keys(\?|$)/);
    await expect(page.getByRole("main").getByRole("status").first()).toContainText(`Deleted ${display}.`);

    // A separate client: exactly that key is gone, its near-namesake (no \xff byte) is untouched.
    expect(await redis.exists(key)).toBe(0);
    expect((await redis.getBuffer(nearNamesake))?.toString()).toBe("keep me");
  } finally {
    await redis.unlink(key, nearNamesake);
  }
});

test("a viewer reads a key but sees Delete and the TTL controls disabled, with the reason", async ({
  page,
  redis,
  signInAs,
  scratchKey,
}) => {
  const key = scratchKey("e2e:viewer:");
  await redis.set(key, "look, don't touch", "EX", 3600);
  await signInAs("viewer", `/keys/${toKeyRef(key)}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(key);
  await expect(page.getByRole("button", { name: "Delete", exact: true })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Set TTL" })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Remove TTL" })).toBeDisabled();
  await expect(page.getByLabel("TTL (seconds)")).toBeDisabled();
  await expect(page.getByTestId("read-only-reason")).toHaveText(
    "Read-only: deleting keys and changing TTLs needs the operator role; you are signed in as viewer.",
  );
  expect(await redis.get(key)).toBe("look, don't touch");
});

test("an exact key name typed as the pattern is looked up directly and shown as the exact match", async ({
  page,
  signInAs,
}) => {
  await signInAs("viewer", "/keys");
  await searchKeys(page, "result:5");
  const exact = page.getByTestId("key-exact");
  await expect(exact.getByTestId("key-row")).toHaveAttribute("data-key", "result:5");
  await expect(page.getByTestId("key-count")).toContainText("Exact match");
  await expect(page.getByTestId("scan-progress")).toHaveCount(0);

  const missing = `result:e2e_missing_${unique()}`;
  await searchKeys(page, missing);
  await expect(page.getByTestId("key-count")).toContainText(`No key is named “${missing}”`);
  await page.getByRole("button", { name: `Search for keys containing “${missing}”` }).click();
  await expect(page.getByLabel("Pattern")).toHaveValue(`*${missing}*`);
  await expect(page.getByTestId("scan-progress")).toContainText("Scanned all");

  await searchKeys(page, "result:5");
  await exact.getByRole("link", { name: "result:5" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("result:5");
  await expect(page.getByTestId("string-reader")).toHaveText("25");
});

test("the tree shows the cache: and model: folders with counts and drills into model:", async ({
  page,
  signInAs,
}) => {
  await signInAs("viewer", "/keys");
  await page.getByRole("button", { name: "Tree" }).click();
  const folder = (prefix: string) => page.locator(`[data-testid="tree-folder"][data-prefix="${prefix}"]`);
  await expect(folder("cache:")).toBeVisible();
  await expect(folder("model:")).toBeVisible();
  expect(
    Number((await folder("cache:").getByTestId("folder-count").innerText()).replace(/\D/g, "")),
  ).toBeGreaterThan(100);
  await expect(page.getByRole("columnheader", { name: "Keys seen so far" })).toBeVisible();

  await folder("model:").getByRole("button").click();
  await expect(page.getByRole("navigation", { name: "Folder" })).toContainText("model:");
  await expect(folder("model:churn_classifier:").getByTestId("folder-count")).toHaveText("3");
  await expect(folder("model:fraud_detector:")).toBeVisible();
  await expect(folder("cache:")).toHaveCount(0);
  // The address keeps the place: a reload shows the same folder.
  await page.reload();
  await expect(folder("model:churn_classifier:")).toBeVisible();
});

test("every type opens read-only: hash, string, list, set, sorted set with scores, stream", async ({
  page,
  redis,
  signInAs,
  scratchKey,
}) => {
  const list = scratchKey("e2e:list:");
  const set = scratchKey("e2e:set:");
  const zset = scratchKey("e2e:zset:");
  await redis.rpush(list, "first", "second", "42");
  await redis.sadd(set, "red", "green");
  await redis.zadd(zset, "1.5", "alpha", "2", "beta");
  const open = (key: string) => page.goto(`/keys/${toKeyRef(key)}`);
  const rows = page.getByTestId("reader-row");

  await signInAs("viewer", "/keys");
  await searchKeys(page, "model:*");
  await page.getByLabel("Type").selectOption("hash");
  await expect(keyRows(page, "model:churn_classifier:v3")).toHaveCount(1);
  await expect(page.getByTestId("key-row").getByTestId("key-type").first()).toHaveText("hash");
  await page.screenshot({ path: "docs/screenshots/keys.png", fullPage: true });

  await open("model:churn_classifier:v3");
  await expect(page.getByTestId("key-type")).toHaveText("hash");
  await expect(page.locator('[data-testid="reader-row"][data-field="learning_rate"]')).toBeVisible();
  await expect(page.getByTestId("reader-progress")).toContainText("fields");
  await page.screenshot({ path: "docs/screenshots/key-hash.png", fullPage: true });

  await open("result:5");
  await expect(page.getByTestId("key-type")).toHaveText("string");
  await expect(page.getByTestId("string-reader")).toHaveText("25");

  await open(list);
  await expect(page.getByTestId("key-type")).toHaveText("list");
  await expect(rows).toHaveCount(3);
  await expect(page.locator('[data-testid="reader-row"][data-position="0"]')).toContainText("first");
  await expect(page.locator('[data-testid="reader-row"][data-position="2"]')).toContainText("42");

  await open(set);
  await expect(page.getByTestId("key-type")).toHaveText("set");
  await expect(rows).toHaveCount(2);
  await expect(page.locator('[data-testid="reader-row"][data-member="green"]')).toBeVisible();

  await open(zset);
  await expect(page.getByTestId("key-type")).toHaveText("sorted set");
  await expect(rows.first()).toHaveAttribute("data-score", "1.5");
  await expect(rows.first()).toContainText("alpha");
  await expect(rows.nth(1)).toHaveAttribute("data-score", "2");

  await open("stream:predictions");
  await expect(page.getByTestId("key-type")).toHaveText("stream");
  await expect(rows.first()).toContainText("model");
  await expect(rows.first()).toContainText("input_id");
  await expect(page.getByTestId("reader-progress")).toContainText("Showing 100 of");
  await page.getByRole("button", { name: "Load more" }).click();
  await expect(page.getByTestId("reader-progress")).toContainText("Showing 200 of");
});

test("an operator sets a TTL of 600 seconds and removes it, and Redis agrees each time", async ({
  page,
  redis,
  signInAs,
  scratchKey,
}) => {
  const key = scratchKey("e2e:ttl:");
  await redis.set(key, "short-lived");
  await signInAs("operator", `/keys/${toKeyRef(key)}`);
  await expect(page.getByTestId("key-ttl")).toHaveText("no expiry");

  await page.getByLabel("TTL (seconds)").fill("600");
  await page.getByRole("button", { name: "Set TTL" }).click();
  await expect(page.getByTestId("key-ttl")).toHaveText(/^(10m 0s|9m \d+s)$/);
  const pttl = await redis.pttl(key);
  expect(pttl).toBeGreaterThan(0);
  expect(pttl).toBeLessThanOrEqual(600_000);

  await page.getByRole("button", { name: "Remove TTL" }).click();
  await expect(page.getByTestId("key-ttl")).toHaveText("no expiry");
  expect(await redis.ttl(key)).toBe(-1);
  expect(await redis.get(key)).toBe("short-lived");
});

test("the list says how far SCAN got out of DBSIZE and continues when asked", async ({ page, signInAs }) => {
  await signInAs("viewer", "/keys");
  const progress = page.getByTestId("scan-progress");
  await expect(progress).toContainText(/Scanned about [\d,]+ of [\d,]+ keys so far/);
  const count = async () =>
    Number((await page.getByTestId("key-count").innerText()).match(/^([\d,]+)/)![1]!.replace(/,/g, ""));
  const before = await count();
  await page.getByRole("button", { name: "Continue scanning" }).click();
  await expect.poll(count).toBeGreaterThan(before);
});
