import { readFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import type Redis from "ioredis";
import { scanCount, throttleWrites, unlinkMatching, writeKeys } from "@/tests/e2e/bulk-keys";
import { expect, signIn, test } from "@/tests/e2e/fixtures";

/** Puts back the seed's result:<x> = x*x keys, so later tests still find result:5 = 25. */
async function restoreResults(redis: Redis): Promise<void> {
  const pipeline = redis.pipeline();
  for (let x = 1; x <= 200; x++) pipeline.set(`result:${x}`, String(x * x));
  pipeline.set("result:5", "25");
  await pipeline.exec();
}

test("an operator flushes result:* after a dry run and only that namespace goes", async ({
  page,
  redis,
  signInAs,
}) => {
  const expected = await scanCount(redis, "result:*");
  expect(expected).toBeGreaterThan(0);
  const cacheBefore = await scanCount(redis, "cache:*");
  const modelBefore = await scanCount(redis, "model:*");
  expect(cacheBefore).toBeGreaterThan(0);
  expect(modelBefore).toBeGreaterThan(0);

  try {
    await signInAs("operator", "/cache");
    const row = page.locator('[data-testid="namespace-row"][data-name="result"]');
    await expect(row).toBeVisible();
    await row.getByRole("button", { name: "Flush…" }).click();

    const dialog = page.getByRole("dialog", { name: "Flush keys" });
    await expect(dialog.getByTestId("flush-dialog")).toBeVisible();
    const count = dialog.getByTestId("dry-run-count");
    await expect(count).toHaveAttribute("data-estimated", "false");
    await expect(count).toHaveAttribute("data-count", String(expected));
    await expect(count).toContainText(`${expected.toLocaleString("en-US")} keys`);
    await expect(dialog.getByTestId("dry-run-sample").locator("li").first()).toContainText("result:");

    const flush = dialog.getByRole("button", { name: "Flush", exact: true });
    await expect(flush).toBeDisabled();
    await dialog.getByLabel("Type the pattern to confirm").fill("result:");
    await expect(flush).toBeDisabled();
    await dialog.getByLabel("Type the pattern to confirm").fill("result:*");
    await flush.click();
    await expect(dialog).toBeHidden();

    const job = page.getByTestId("job-row").filter({ hasText: "result:*" }).first();
    await expect(job).toHaveAttribute("data-state", "done", { timeout: 30_000 });
    await expect(job.getByTestId("job-progress")).toHaveAttribute("aria-valuenow", "100");
    await expect(job).toContainText(`deleted ${expected.toLocaleString("en-US")}`);

    // A separate client: no result:* key is left, the other namespaces are untouched.
    expect(await scanCount(redis, "result:*")).toBe(0);
    expect(await scanCount(redis, "model:*")).toBe(modelBefore);
    // cache:* keys carry TTLs, so a few may expire meanwhile; most must remain.
    expect(await scanCount(redis, "cache:*")).toBeGreaterThan(cacheBefore * 0.9);

    // A reload shows the job, which lives on the server.
    await page.reload();
    await expect(page.getByTestId("job-row").filter({ hasText: "result:*" }).first()).toHaveAttribute(
      "data-state",
      "done",
    );
  } finally {
    await restoreResults(redis);
  }
  expect(await redis.get("result:5")).toBe("25");
});

test("a viewer sees the namespaces but Flush is disabled, with the reason", async ({ page, signInAs }) => {
  await signInAs("viewer", "/cache");
  const row = page.locator('[data-testid="namespace-row"][data-name="cache"]');
  await expect(row).toBeVisible();
  const flush = row.getByRole("button", { name: "Flush…" });
  await expect(flush).toBeDisabled();
  await expect(flush).toHaveAttribute(
    "title",
    "Flushing needs the operator role; you are signed in as viewer.",
  );
  await expect(page.getByTestId("flush-disabled-reason")).toHaveText(
    "Flushing needs the operator role; you are signed in as viewer.",
  );
  await expect(page.getByLabel("Pattern to flush")).toBeDisabled();
  await expect(page.getByRole("heading", { name: "Flush database" })).toHaveCount(0);

  // Opening a namespace lists what is under it.
  await row.getByRole("button", { name: "cache:" }).click();
  const embeddings = page.locator('[data-testid="namespace-row"][data-name="embeddings"]');
  await expect(embeddings).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Namespace" })).toContainText("cache:");
  await page
    .locator("section", { has: embeddings })
    .screenshot({ path: "docs/screenshots/cache-namespace.png" });
});

test("a second browser follows a running flush live, and sees it cancelled with an exact count", async ({
  page,
  browser,
  redis,
  signInAs,
}) => {
  test.setTimeout(120_000);
  const prefix = `e2e:bulk:${Date.now()}:`;
  const total = 600_000;
  await writeKeys(redis, prefix, total);
  const watcher = await browser.newContext();
  try {
    // A viewer in another browser has the Cache page open before the flush starts.
    const viewer = await watcher.newPage();
    await viewer.setViewportSize({ width: 1400, height: 900 });
    await signIn(viewer, "viewer", "/cache");
    await expect(viewer.getByTestId("jobs-source")).toHaveText(
      "Progress arrives live over this page's stream.",
    );

    // The operator starts the flush from the form.
    await signInAs("operator", "/cache");
    await page.getByLabel("Pattern to flush").fill(`${prefix}*`);
    await page.getByRole("button", { name: "Flush…" }).last().click();
    const dialog = page.getByRole("dialog", { name: "Flush keys" });
    await expect(dialog.getByTestId("dry-run-count")).toBeVisible({ timeout: 20_000 });
    await dialog.getByLabel("Type the pattern to confirm").fill(`${prefix}*`);
    // Redis holds writes 200 ms of every 250 from here, as a busy server would: the flush crawls, so
    // it cannot run to its end before the cancel arrives, however fast the console deletes and
    // however slowly the two browsers go.
    const mine = page.getByTestId("job-row").filter({ hasText: prefix });
    const seen = viewer.getByTestId("job-row").filter({ hasText: prefix });
    const stopThrottling = throttleWrites(redis);
    try {
      await dialog.getByRole("button", { name: "Flush", exact: true }).click();
      // The viewer's page shows the new job running, progress moving, without a reload.
      await expect(seen).toHaveAttribute("data-state", "running");
      await expect(seen.getByTestId("job-progress")).not.toHaveAttribute("aria-valuenow", "0");
      await seen.scrollIntoViewIfNeeded();
      await viewer.locator("section", { has: seen }).screenshot({ path: "docs/screenshots/cache-flush.png" });
      // The operator cancels; both pages show it stopped, and the count is exact.
      await mine.getByRole("button", { name: "Cancel" }).click();
      await expect(mine).toHaveAttribute("data-state", "cancelled", { timeout: 5_000 });
    } finally {
      await stopThrottling();
    }
    await expect(seen).toHaveAttribute("data-state", "cancelled", { timeout: 5_000 });
    const deleted = Number(
      (/deleted ([\d,]+)/.exec((await seen.textContent()) ?? "")?.[1] ?? "").replace(/,/g, ""),
    );
    expect(deleted).toBeGreaterThan(0);
    expect(deleted).toBeLessThan(total);
    expect(await scanCount(redis, `${prefix}*`)).toBe(total - deleted);
  } finally {
    await watcher.close();
    await unlinkMatching(redis, `${prefix}*`);
  }
});

/** The id and page of a server action, from the build's manifest (as permissions.spec.ts finds them). */
function serverAction(file: string, name: string): { id: string; page: string } {
  const manifest = JSON.parse(readFileSync(".next/server/server-reference-manifest.json", "utf8")) as {
    node: Record<string, { filename: string; exportedName: string; workers: Record<string, unknown> }>;
  };
  const [id, entry] = Object.entries(manifest.node).find(
    ([, candidate]) => candidate.filename === file && candidate.exportedName === name,
  )!;
  const worker = Object.keys(entry.workers)[0]!;
  return {
    id,
    page:
      worker
        .replace(/^app/, "")
        .replace(/\/page$/, "")
        .replace(/\/\([^)]+\)/g, "") || "/",
  };
}

/** Posts a server action as a browser would, with the page's session: what a replayed request looks like. */
async function replayAction(
  page: Page,
  baseURL: string,
  action: { id: string; page: string },
  input: unknown,
) {
  const response = await page.request.post(action.page, {
    headers: { "Next-Action": action.id, "Content-Type": "text/plain;charset=UTF-8", Origin: baseURL },
    data: JSON.stringify([input]),
  });
  return response.text();
}

/** User keys (not the console's own) by SCAN, and how many keys Redis has expired so far. */
async function userKeyFigures(redis: Redis): Promise<{ keys: number; expired: number }> {
  let keys = 0;
  let cursor = "0";
  do {
    const [next, batch] = await redis.scan(cursor, "COUNT", 5_000);
    keys += batch.filter((key) => !key.startsWith("__console:")).length;
    cursor = next;
  } while (cursor !== "0");
  const expired = Number(/expired_keys:(\d+)/.exec(await redis.info("stats"))?.[1]);
  return { keys, expired };
}

test("an operator's replayed flush of [^\\x01]* is refused and no key goes", async ({
  page,
  redis,
  baseURL,
  signInAs,
}) => {
  const startFlushJob = serverAction("lib/actions/cache.ts", "startFlushJob");
  await signInAs("operator", "/cache");
  const before = await userKeyFigures(redis);
  expect(before.keys).toBeGreaterThan(100);

  const body = await replayAction(page, baseURL!, startFlushJob, {
    conn: "primary",
    pattern: "[^\\x01]*",
    confirm: "[^\\x01]*",
  });
  expect(body).toContain('"code":"FORBIDDEN"');
  expect(body).toContain("A pattern needs a literal part, such as a namespace (`result:*`)");

  // The other database holds one key: its namespace is all of it, so flushing it is a database flush.
  const analytics = await replayAction(page, baseURL!, startFlushJob, {
    conn: "analytics",
    pattern: "analytics:*",
    confirm: "analytics:*",
  });
  expect(analytics).toContain('"code":"FORBIDDEN"');
  expect(analytics).toContain("This pattern matches every key examined (1 of 1)");

  const after = await userKeyFigures(redis);
  console.log(
    `user keys before ${before.keys}, after ${after.keys}; expired meanwhile ${after.expired - before.expired}`,
  );
  // Only a cache entry reaching its TTL meanwhile may be gone.
  expect(after.keys).toBeLessThanOrEqual(before.keys);
  expect(after.keys).toBeGreaterThanOrEqual(before.keys - (after.expired - before.expired));
  await redis.select(1);
  expect(await redis.get("analytics:daily_active")).toBe("1234");
  await redis.select(0);
});

test("the flush dialog says why [^\\x01]* is a database flush: an operator is pointed to an admin, an admin types its name", async ({
  page,
  browser,
}) => {
  const openDialog = async (on: Page) => {
    await on.getByLabel("Pattern to flush").fill("[^\\x01]*");
    await on.getByRole("button", { name: "Flush…" }).last().click();
    const dialog = on.getByRole("dialog", { name: "Flush keys" });
    await expect(dialog.getByTestId("whole-database-notice")).toBeVisible({ timeout: 20_000 });
    return dialog;
  };

  await signIn(page, "operator", "/cache");
  const refused = await openDialog(page);
  await expect(refused.getByTestId("whole-database-notice")).toContainText("has no literal part");
  await expect(refused.getByTestId("whole-database-notice")).toContainText(
    "Ask an admin to use Flush database on this page, which they confirm by typing the database’s name (db0 on primary)",
  );
  await expect(refused.getByRole("button", { name: "Flush", exact: true })).toBeDisabled();
  await expect(refused.getByLabel("Type the database name to confirm")).toBeDisabled();

  const adminContext = await browser.newContext();
  try {
    const admin = await adminContext.newPage();
    await signIn(admin, "admin", "/cache");
    const dialog = await openDialog(admin);
    await expect(dialog.getByTestId("whole-database-notice")).toContainText(
      "confirm it by typing the database’s name, db0 on primary, below",
    );
    const flush = dialog.getByRole("button", { name: "Flush", exact: true });
    const confirm = dialog.getByLabel("Type the database name to confirm");
    await confirm.fill("[^\\x01]*");
    await expect(flush).toBeDisabled();
    await confirm.fill("db0 on primary");
    await expect(flush).toBeEnabled();
    // Not clicked: later tests need the seed data.
  } finally {
    await adminContext.close();
  }
});
