import type { Page } from "@playwright/test";
import { scanCount, throttleWrites, unlinkMatching, writeKeys } from "@/tests/e2e/bulk-keys";
import { expect, signIn, test } from "@/tests/e2e/fixtures";

// Two console instances on one Redis (issue 14: Several instances): a flush started on one is
// followed live and cancelled from the other, since jobs live in console state, not in the instance
// that runs them. tests/e2e/serve.ts starts instance B beside A, with the same users and secret.

/** The "deleted N" figure a job row shows. */
async function deletedShown(page: Page, prefix: string): Promise<number> {
  const text = (await page.getByTestId("job-row").filter({ hasText: prefix }).textContent()) ?? "";
  return Number((/deleted ([\d,]+)/.exec(text)?.[1] ?? "").replace(/,/g, ""));
}

test("a flush started on one instance is followed and cancelled from another", async ({
  page,
  browser,
  redis,
  stack,
}) => {
  // About 30 s on a quiet 2-core machine; a loaded one may need twice that.
  test.setTimeout(90_000);
  const prefix = `e2e:instances:${Date.now()}:`;
  // The running instance sees a cancel from another at its next heartbeat (every 0.5 s), and a
  // quiet machine flushes 200,000 keys a second: enough keys that the flush outlasts the cancel.
  const total = 600_000;
  await writeKeys(redis, prefix, total);
  // The stack waited for instance B too.
  const contextB = await browser.newContext({
    baseURL: `http://127.0.0.1:${stack.portB}`,
    viewport: { width: 1400, height: 900 },
  });
  try {
    // An operator on instance B has the Cache page open before the flush starts.
    const pageB = await contextB.newPage();
    await signIn(pageB, "operator", "/cache");
    await expect(pageB.getByTestId("jobs-source")).toHaveText(
      "Progress arrives live over this page's stream.",
    );

    // Another operator starts the flush on instance A, through the form.
    await signIn(page, "operator", "/cache");
    await page.getByLabel("Pattern to flush").fill(`${prefix}*`);
    await page.getByRole("button", { name: "Flush…" }).last().click();
    const dialog = page.getByRole("dialog", { name: "Flush keys" });
    await expect(dialog.getByTestId("dry-run-count")).toBeVisible({ timeout: 20_000 });
    await dialog.getByLabel("Type the pattern to confirm").fill(`${prefix}*`);
    // Redis holds writes 200 ms of every 250 until B has seen progress: the flush crawls, so it is
    // still running when B cancels, however slowly two browsers and the other worker's go.
    const onB = pageB.getByTestId("job-row").filter({ hasText: prefix });
    const stopThrottling = throttleWrites(redis);
    try {
      await dialog.getByRole("button", { name: "Flush", exact: true }).click();
      // Instance B shows the job A runs, with its progress moving, without a reload.
      await expect(onB).toHaveAttribute("data-state", "running", { timeout: 20_000 });
      await expect(onB.getByTestId("job-progress")).not.toHaveAttribute("aria-valuenow", "0");
    } finally {
      await stopThrottling();
    }

    // B cancels. Redis holds writes meanwhile, so the flush cannot run to its end before the
    // cancel arrives, however slowly the browsers go on a loaded machine.
    const onA = page.getByTestId("job-row").filter({ hasText: prefix });
    await redis.call("CLIENT", "PAUSE", "30000", "WRITE");
    let clickedAt: number;
    try {
      await Promise.all([
        pageB.waitForRequest((sent) => sent.method() === "POST"),
        onB.getByRole("button", { name: "Cancel" }).click(),
      ]);
      clickedAt = Date.now();
    } finally {
      await redis.call("CLIENT", "UNPAUSE");
    }
    await expect(onA).toHaveAttribute("data-state", "cancelled", { timeout: 5_000 });
    const seenOnA = Date.now() - clickedAt;
    await expect(onB).toHaveAttribute("data-state", "cancelled", { timeout: 5_000 });
    test.info().annotations.push({ type: "cancel latency B → A", description: `${seenOnA} ms` });
    console.log(`cancel on B seen cancelled on A after ${seenOnA} ms`);

    // Both instances show the same final count, and Redis holds exactly the rest.
    const deleted = await deletedShown(pageB, prefix);
    console.log(`deleted ${deleted} of ${total} before the cancel`);
    expect(deleted).toBeGreaterThan(0);
    expect(deleted).toBeLessThan(total);
    await expect.poll(() => deletedShown(page, prefix)).toBe(deleted);
    expect(await scanCount(redis, `${prefix}*`)).toBe(total - deleted);
  } finally {
    await contextB.close();
    await unlinkMatching(redis, `${prefix}*`);
  }
});
