import type Redis from "ioredis";
import { expect, signIn, test } from "@/tests/e2e/fixtures";

/** Distinct keys matching `pattern`, counted by our own client with SCAN (never KEYS). */
async function scanCount(redis: Redis, pattern: string): Promise<number> {
  const seen = new Set<string>();
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
    for (const key of keys) seen.add(key);
    cursor = next;
  } while (cursor !== "0");
  return seen.size;
}

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
  // MSET in batches: many times faster to write than a pipeline of single SETs.
  for (let from = 0; from < total; from += 1_000) {
    const pairs: string[] = [];
    for (let i = from; i < from + 1_000; i++) pairs.push(`${prefix}${i}`, "x");
    await redis.mset(...pairs);
  }
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
    await dialog.getByRole("button", { name: "Flush", exact: true }).click();

    // The viewer's page shows the new job running, progress moving, without a reload.
    const seen = viewer.getByTestId("job-row").filter({ hasText: prefix });
    await expect(seen).toHaveAttribute("data-state", "running");
    await expect(seen.getByTestId("job-progress")).not.toHaveAttribute("aria-valuenow", "0");
    await seen.scrollIntoViewIfNeeded();
    await viewer.locator("section", { has: seen }).screenshot({ path: "docs/screenshots/cache-flush.png" });

    // The operator cancels; both pages show it stopped, and the count is exact.
    const mine = page.getByTestId("job-row").filter({ hasText: prefix });
    await mine.getByRole("button", { name: "Cancel" }).click();
    await expect(mine).toHaveAttribute("data-state", "cancelled", { timeout: 5_000 });
    await expect(seen).toHaveAttribute("data-state", "cancelled", { timeout: 5_000 });
    const deleted = Number(
      (/deleted ([\d,]+)/.exec((await seen.textContent()) ?? "")?.[1] ?? "").replace(/,/g, ""),
    );
    expect(deleted).toBeGreaterThan(0);
    expect(deleted).toBeLessThan(total);
    expect(await scanCount(redis, `${prefix}*`)).toBe(total - deleted);
  } finally {
    await watcher.close();
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 5_000);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== "0");
  }
});
