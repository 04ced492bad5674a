import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { toKeyRef } from "@/lib/redis/keys";
import { expect, test } from "@/tests/e2e/fixtures";

const unique = () => randomBytes(4).toString("hex");

function row(page: Page, field: string) {
  return page.locator(`[data-testid="param-row"][data-field="${field}"]`);
}

async function editValue(page: Page, field: string, value: string) {
  await page.getByRole("button", { name: `Edit ${field}`, exact: true }).click();
  const dialog = page.getByRole("dialog", { name: `Edit ${field}` });
  await dialog.getByLabel("Value").fill(value);
  await dialog.getByRole("button", { name: "Save" }).click();
  return dialog;
}

test("an engineer finds linear_regression by searching 'linear', types 1.7 and presses Enter, and Redis holds 1.7", async ({
  page,
  redis,
  signInAs,
}) => {
  await redis.hset("linear_regression", "coefficient", "1.5");
  await signInAs("editor", "/models");
  // The seed's own HSET is listed without typing its exact name: found by its values.
  const listed = page.getByTestId("model-row").filter({ hasText: "linear_regression" });
  await expect(listed.getByTestId("found-by-values")).toHaveText("found by their values");
  await page.getByLabel("Search models").fill("linear");
  await page.getByRole("link", { name: "linear_regression", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("linear_regression");
  await expect(row(page, "coefficient").getByTestId("param-value")).toHaveText("1.5");
  await expect(row(page, "intercept").getByTestId("param-value")).toHaveText("2.3");

  await page.getByRole("button", { name: "Edit coefficient", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Edit coefficient" });
  const value = dialog.getByLabel("Value");
  // Focus lands in the Value field with its text selected, so typing replaces it.
  await expect(value).toBeFocused();
  expect(await value.evaluate((el: HTMLInputElement) => [el.selectionStart, el.selectionEnd])).toEqual([
    0, 3,
  ]);
  await expect(dialog.getByTestId("value-hint")).toHaveText("Enter saves; Escape closes without saving.");
  await page.keyboard.type("1.7");
  await page.screenshot({ path: "docs/screenshots/models-edit.png" });
  const answered = page.waitForResponse(
    (r) => r.request().method() === "POST" && !!r.request().headers()["next-action"],
  );
  await page.keyboard.press("Enter");
  await expect(dialog).toBeHidden();
  await expect(row(page, "coefficient").getByTestId("param-value")).toHaveText("1.7");
  expect(await redis.hget("linear_regression", "coefficient")).toBe("1.7");
  // The action's small answer came whole and plain, though the browser accepts gzip
  // (lib/request/small-answer.ts).
  const answer = await answered;
  expect(await answer.request().headerValue("accept-encoding")).toContain("gzip");
  expect(await answer.headerValue("content-encoding")).toBeNull();
  const length = await answer.headerValue("content-length");
  expect(length).toMatch(/^\d+$/);
  expect(Number(length)).toBeLessThan(1024);

  // Escape closes without writing anything.
  await page.getByRole("button", { name: "Edit coefficient", exact: true }).click();
  await expect(dialog.getByLabel("Value")).toBeFocused();
  await page.keyboard.type("9");
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  expect(await redis.hget("linear_regression", "coefficient")).toBe("1.7");

  await page.getByRole("link", { name: "History" }).click();
  const entry = page.getByTestId("history-entry").first();
  await expect(entry).toContainText("ana");
  await expect(entry).toContainText("coefficient");
  await expect(entry).toContainText("1.5");
  await expect(entry).toContainText("1.7");
});

test("bad input for a number is refused with a clear message and nothing is written", async ({
  page,
  redis,
  signInAs,
  scratchKey,
}) => {
  const key = scratchKey("model:e2e_input_", ":v1");
  await redis.hset(key, "alpha", "0.1");
  await signInAs("editor", `/models/${toKeyRef(key)}`);
  await page.getByRole("button", { name: "Edit alpha", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Edit alpha" });
  for (const bad of ["1.5.3", "NaN", "abc"]) {
    await dialog.getByLabel("Value").fill(bad);
    await expect(dialog.getByText(/is not a number|not a finite number|not a number/i).first()).toBeVisible();
    await expect(dialog.getByRole("button", { name: "Save" })).toBeDisabled();
  }
  await dialog.getByLabel("Value").fill("");
  await expect(dialog.getByRole("button", { name: "Save" })).toBeDisabled();
  expect(await redis.hget(key, "alpha")).toBe("0.1");
});

test("in Chinese, the edit dialog refuses a spaced number in Chinese, keeps the typed text as typed, saves 1.7 and shows a conflict", async ({
  page,
  redis,
  signInAs,
  scratchKey,
  baseURL,
}) => {
  const key = scratchKey("model:e2e_zh_", ":v1");
  await redis.hset(key, "coefficient", "1.5");
  await signInAs("editor", `/models/${toKeyRef(key)}`);
  // The language a user chose in the shell is this cookie; the page then renders in Chinese.
  await page.context().addCookies([{ name: "console_lang", value: "zh-CN", url: baseURL! }]);
  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(page.getByTestId("fields-progress")).toHaveText("已加载 1 / 1 个字段。");

  await page.getByRole("button", { name: "编辑 coefficient", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "编辑 coefficient" });
  const value = dialog.getByRole("textbox", { name: /^值/ });
  await expect(dialog.getByTestId("value-hint")).toHaveText("按 Enter 保存；按 Esc 关闭且不保存。");
  await value.fill("1.7 ");
  await expect(dialog).toContainText("“1.7 ”的开头或结尾有空格：请删除空格，只输入数字，例如 1.5 或 -0.02。");
  await expect(dialog.getByRole("button", { name: "保存" })).toBeDisabled();
  await value.fill("1.7");
  await value.press("Enter");
  await expect(dialog).toBeHidden();
  expect(await redis.hget(key, "coefficient")).toBe("1.7");

  await page.getByRole("button", { name: "编辑 coefficient", exact: true }).click();
  await dialog.getByRole("button", { name: "保存" }).click();
  await expect(page.getByTestId("param-note")).toHaveText("coefficient 的值已经是 1.7；未写入任何内容。");

  // Someone else writes while the dialog is open: nothing is overwritten, and it says so in Chinese.
  await page.getByRole("button", { name: "编辑 coefficient", exact: true }).click();
  await redis.hset(key, "coefficient", "1.9");
  await value.fill("2.0");
  await value.press("Enter");
  await expect(dialog.getByText("在你打开此参数后，其他人修改了它")).toBeVisible();
  await expect(dialog.getByTestId("conflict-current")).toHaveText("1.9");
  await dialog.getByRole("button", { name: "保留对方的值" }).click();
  await expect(dialog).toBeHidden();
  expect(await redis.hget(key, "coefficient")).toBe("1.9");
});

test("a stale edit in a second browser shows the conflict and overwrites nothing", async ({
  browser,
  redis,
  scratchKey,
}) => {
  const key = scratchKey("model:e2e_conflict_", ":v1");
  await redis.hset(key, "alpha", "0.1", "beta", "2");
  const { signIn } = await import("@/tests/e2e/fixtures");

  const first = await (await browser.newContext()).newPage();
  const second = await (await browser.newContext()).newPage();
  await signIn(first, "editor", `/models/${toKeyRef(key)}`);
  await signIn(second, "admin", `/models/${toKeyRef(key)}`);
  await expect(row(second, "alpha").getByTestId("param-value")).toHaveText("0.1");

  await editValue(first, "alpha", "0.2");
  await expect(row(first, "alpha").getByTestId("param-value")).toHaveText("0.2");

  const dialog = await editValue(second, "alpha", "0.3");
  await expect(dialog.getByText("Someone else changed this parameter since you opened it")).toBeVisible();
  await expect(dialog.getByTestId("conflict-current")).toContainText("0.2");
  expect(await redis.hget(key, "alpha")).toBe("0.2");
  await second.screenshot({ path: "docs/screenshots/models-conflict.png" });

  // A writer outside the console (a script doing HSET) is caught the same way.
  await dialog.getByRole("button", { name: "Keep theirs" }).click();
  await expect(row(second, "alpha").getByTestId("param-value")).toHaveText("0.2");
  await redis.hset(key, "alpha", "0.25");
  const again = await editValue(second, "alpha", "0.3");
  await expect(again.getByTestId("conflict-current")).toContainText("0.25");
  await again.getByRole("button", { name: "Overwrite with mine" }).click();
  await expect(again).toBeHidden();
  expect(await redis.hget(key, "alpha")).toBe("0.3");
});

test("viewers and operators read parameters but cannot change them", async ({ page, signInAs }) => {
  await signInAs("viewer", "/models");
  await expect(page.getByTestId("scan-progress")).toContainText("Scanned all");
  await page.screenshot({ path: "docs/screenshots/models-list.png", fullPage: true });
  await page.getByRole("link", { name: "model:churn_classifier:v3" }).click();
  await expect(row(page, "learning_rate")).toBeVisible();
  await expect(page.getByRole("button", { name: "Edit learning_rate", exact: true })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Add parameter" })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Bulk edit" })).toBeDisabled();
  await expect(
    page.getByText("Read-only: editing parameters needs the editor role; you are signed in as viewer."),
  ).toBeVisible();
});

test("the 100,000-field model opens and scrolls while the DOM holds only the rows on screen", async ({
  page,
  signInAs,
}) => {
  await signInAs("viewer", `/models/${toKeyRef("model:feature_weights:v1")}`);
  await expect(page.getByTestId("model-stats")).toContainText("100,000 fields");
  await expect(page.getByTestId("fields-progress")).toContainText("of 100,000 fields loaded");
  const scroller = page.getByTestId("param-scroller");
  let most = 0;
  for (let i = 0; i < 8; i++) {
    await scroller.evaluate((el) => el.scrollBy(0, el.scrollHeight));
    await page.waitForTimeout(250);
    most = Math.max(most, await page.getByTestId("param-row").count());
  }
  expect(most).toBeGreaterThan(5);
  expect(most).toBeLessThan(60);
  const loaded = Number(
    (await page.getByTestId("fields-progress").innerText()).match(/^([\d,]+) of/)![1]!.replace(/,/g, ""),
  );
  expect(loaded).toBeGreaterThan(600);
});

test("the compare page shows what differs between two versions, with the numeric change", async ({
  page,
  redis,
  signInAs,
  trackKey,
}) => {
  const name = `e2e_cmp_${unique()}`;
  trackKey(`model:${name}:v2`);
  await redis.hset(
    trackKey(`model:${name}:v1`),
    "lr",
    "0.1",
    "depth",
    "6",
    "only_old",
    "x",
    "optimizer",
    "adam",
  );
  await redis.hset(`model:${name}:v2`, "lr", "0.15", "depth", "6", "only_new", "y", "optimizer", "sgd");
  await signInAs("viewer", "/models");
  await page.getByLabel("Search models").fill(name);
  await page.getByLabel(`Select model:${name}:v1 to compare`).check();
  await page.getByLabel(`Select model:${name}:v2 to compare`).check();
  await page.getByRole("link", { name: "Compare selected (2/2)" }).click();

  const differ = page.getByTestId("compare-differ");
  await expect(differ.getByTestId("compare-differ-row").filter({ hasText: "lr" })).toContainText("+0.05");
  await expect(differ.getByTestId("compare-differ-row").filter({ hasText: "optimizer" })).toContainText("—");
  await expect(page.getByTestId("compare-only-a")).toContainText("only_old");
  await expect(page.getByTestId("compare-only-b")).toContainText("only_new");
  await expect(page.getByTestId("compare-equal")).toContainText("(1)");
  await page.screenshot({ path: "docs/screenshots/models-compare.png", fullPage: true });
  // The address alone reproduces the comparison.
  const shared = page.url();
  await page.goto("/");
  await page.goto(shared);
  await expect(page.getByTestId("compare-differ")).toContainText("+0.05");
});

test("bulk edit shows the diff and applies it in one go", async ({ page, redis, signInAs, scratchKey }) => {
  const key = scratchKey("model:e2e_bulk_", ":v1");
  await redis.hset(key, "a", "1", "b", "2", "c", "3");
  await signInAs("editor", `/models/${toKeyRef(key)}`);
  await page.getByRole("button", { name: "Bulk edit" }).click();
  const dialog = page.getByRole("dialog", { name: "Bulk edit" });
  await dialog.getByLabel("Parameters").fill('{"a": "1", "b": "20", "d": "4"}');
  await dialog.getByLabel("Remove fields that are not in the upload").check();
  await dialog.getByRole("button", { name: "Show differences" }).click();
  await expect(dialog.getByTestId("bulk-added")).toContainText("d");
  await expect(dialog.getByTestId("bulk-changed")).toContainText("b");
  await expect(dialog.getByTestId("bulk-removed")).toContainText("c");
  await dialog.getByRole("button", { name: "Apply 3 changes" }).click();
  await expect(dialog.getByText("Applied 3 changes in one transaction.")).toBeVisible();
  expect(await redis.hgetall(key)).toEqual({ a: "1", b: "20", d: "4" });
});

test("restoring to a point in history brings the values back, and a key that is not a hash says so", async ({
  page,
  redis,
  signInAs,
  scratchKey,
}) => {
  const key = scratchKey("model:e2e_restore_", ":v1");
  await redis.hset(key, "w", "1");
  await signInAs("editor", `/models/${toKeyRef(key)}`);
  await editValue(page, "w", "2");
  await expect(row(page, "w").getByTestId("param-value")).toHaveText("2");
  await editValue(page, "w", "3");
  await expect(row(page, "w").getByTestId("param-value")).toHaveText("3");
  await page.getByRole("link", { name: "History" }).click();
  const oldest = page.getByTestId("history-entry").last();
  await expect(oldest).toContainText("1");
  await oldest.getByRole("button", { name: "Restore to this point" }).click();
  await expect(page.getByText(/Restored: 1 field changed/)).toBeVisible();
  expect(await redis.hget(key, "w")).toBe("2");
  await page.screenshot({ path: "docs/screenshots/models-history.png", fullPage: true });

  const text = scratchKey("e2e:not_a_hash:");
  await redis.set(text, "plain");
  await page.goto("/models");
  await page.getByLabel("Open a hash by name").fill(text);
  await page.getByRole("button", { name: "Open", exact: true }).click();
  await expect(page.getByRole("main").getByRole("alert")).toContainText(`${text} is a string, not a hash`);
  expect(await redis.get(text)).toBe("plain");
});

test("numeric parameters are drawn as bars and a vector as a histogram", async ({ page, signInAs }) => {
  await signInAs("viewer", `/models/${toKeyRef("model:churn_classifier:v3")}?tab=chart`);
  await expect(page.getByTestId("numeric-params-chart")).toBeVisible();
  await expect(page.getByTestId("numeric-params-chart").locator(".recharts-bar-rectangle")).not.toHaveCount(
    0,
  );
  await page.goto(`/models/${toKeyRef("model:embedding_encoder:v1")}?tab=chart`);
  await expect(page.getByTestId("vector-histogram")).toBeVisible();
  await expect(page.getByTestId("vector-histogram-note")).toContainText("every 4th of 256 values (64 drawn)");
});

test("cloning a version makes the next version with the same parameters", async ({
  page,
  redis,
  signInAs,
  trackKey,
}) => {
  const name = `e2e_clone_${unique()}`;
  await redis.hset(trackKey(`model:${name}:v1`), "lr", "0.1", "depth", "6");
  await redis.hset(trackKey(`model:${name}:v2`), "lr", "0.2", "depth", "6");
  trackKey(`model:${name}:v3`);
  await signInAs("editor", `/models/${toKeyRef(`model:${name}:v2`)}`);
  await page.getByRole("button", { name: "Clone as new version…" }).click();
  // It asks first, naming the key it will make; nothing exists until confirmed.
  const dialog = page.getByRole("dialog", { name: `Clone model:${name}:v2` });
  await expect(dialog.getByLabel("New key")).toHaveValue(`model:${name}:v3`);
  await expect(dialog.getByLabel("New key")).toBeFocused();
  expect(await redis.exists(`model:${name}:v3`)).toBe(0);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`model:${name}:v3`);
  await expect(page.getByTestId("clone-result")).toHaveText(
    `model:${name}:v3 is a new copy of model:${name}:v2 with 2 fields; you are looking at the copy.`,
  );
  expect(await redis.hgetall(`model:${name}:v3`)).toEqual({ lr: "0.2", depth: "6" });
  await expect(page.getByRole("navigation", { name: "Versions" })).toContainText("v3");
  // The way back to the original is a link in the notice.
  await page
    .getByTestId("clone-result")
    .getByRole("link", { name: `model:${name}:v2` })
    .click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`model:${name}:v2`);
});
