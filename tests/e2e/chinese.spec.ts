import type { Browser, Page } from "@playwright/test";
import en from "@/lib/i18n/messages/en.json";
import { toKeyRef } from "@/lib/redis/keys";
import zh from "@/lib/i18n/messages/zh-CN.json";
import { expect, test } from "@/tests/e2e/fixtures";
import { untranslatedText } from "@/tests/e2e/untranslated";
import { E2E_USERS } from "@/tests/e2e/users";

// Issue 13: a Chinese-speaking ML engineer does every flow without reading English. The browser's
// locale is zh-CN (so is its Accept-Language); the labels come from the message files, so a
// changed translation changes the test with it.

const li = E2E_USERS.chinese;

async function chineseBrowser(browser: Browser, width = 1280): Promise<Page> {
  const context = await browser.newContext({ locale: "zh-CN", viewport: { width, height: 900 } });
  return context.newPage();
}

/** Signs in through the Chinese form, as li. */
async function signInChinese(page: Page, next = "/"): Promise<void> {
  await page.goto(next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`);
  await expect(page.getByRole("heading", { name: zh.auth.signInTitle })).toBeVisible();
  await page.getByLabel(zh.auth.username).fill(li.username);
  await page.getByLabel(zh.auth.password).fill(li.password);
  await page.getByLabel(zh.auth.password).press("Enter");
  await expect(page.getByTestId("current-user")).toHaveText(li.username);
}

test("the language follows Accept-Language, then the user's choice, which survives a reload and a new browser", async ({
  browser,
}) => {
  const page = await chineseBrowser(browser);
  try {
    await page.goto("/login");
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await expect(page).toHaveTitle(`${zh.auth.pageTitle} · ${zh.meta.title}`);
    await signInChinese(page);
    await expect(page.getByRole("navigation", { name: zh.shell.mainNav })).toContainText(zh.shell.nav.models);

    // Switched to English from the shell: the page changes in place, no sign-in again.
    const switcher = page.getByLabel(zh.language.label);
    await switcher.selectOption("en");
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByRole("navigation", { name: en.shell.mainNav })).toContainText(en.shell.nav.models);
    await page.reload();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByTestId("current-user")).toHaveText(li.username);

    // And back to Chinese, from the keyboard.
    await page.getByLabel(en.language.label).focus();
    await page.keyboard.press("ArrowDown");
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await page.reload();
    await expect(page.getByRole("navigation", { name: zh.shell.mainNav })).toContainText(zh.shell.nav.cache);
  } finally {
    await page.context().close();
  }

  // A new browser that asks for English first: once li signs in, her saved choice applies.
  const context = await browser.newContext({ locale: "en-US" });
  try {
    const other = await context.newPage();
    await other.goto("/login");
    await expect(other.locator("html")).toHaveAttribute("lang", "en");
    await other.getByLabel(en.auth.username).fill(li.username);
    await other.getByLabel(en.auth.password).fill(li.password);
    await other.getByRole("button", { name: en.auth.signIn }).click();
    await expect(other.getByTestId("current-user")).toHaveText(li.username);
    await expect(other.locator("html")).toHaveAttribute("lang", "zh-CN");
  } finally {
    await context.close();
  }
});

test("the sign-in page and the shell read in Chinese, at 1280 px and on a phone", async ({ browser }) => {
  for (const width of [1280, 390]) {
    const page = await chineseBrowser(browser, width);
    try {
      await page.goto("/login");
      expect(await untranslatedText(page)).toEqual([]);
      await page.screenshot({ path: `docs/screenshots/zh-login-${width}.png` });
      await signInChinese(page);
      if (width < 768) await page.getByRole("button", { name: zh.shell.menu }).click();
      await page.screenshot({ path: `docs/screenshots/zh-overview-${width}.png` });
    } finally {
      await page.context().close();
    }
  }
});

test("every page of the shell, and its dialogs, shows no English outside data and code", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const page = await chineseBrowser(browser);
  const ref = (key: string) => toKeyRef(key);
  const pages = [
    "/",
    "/models",
    `/models/${ref("linear_regression")}`,
    `/models/${ref("model:churn_classifier:v3")}`,
    `/models/compare?a=${ref("model:churn_classifier:v2")}&b=${ref("model:churn_classifier:v3")}`,
    "/cache",
    "/keys",
    `/keys/${ref("linear_regression")}`,
    "/monitor",
    "/settings",
    "/settings/audit",
    "/no-such-page",
  ];
  const found: string[] = [];
  try {
    await signInChinese(page);
    for (const path of pages) {
      await page.goto(path);
      // What the page reads arrives within a second or so (live pages never go network-idle).
      await page.waitForTimeout(1_500);
      for (const text of await untranslatedText(page)) found.push(`${path} ${text}`);
    }
    // Dialogs: editing a parameter, flushing a namespace.
    await page.goto(`/models/${ref("linear_regression")}`);
    await page.getByTestId("param-row").first().getByRole("button").first().click();
    await expect(page.getByRole("dialog")).toBeVisible();
    for (const text of await untranslatedText(page)) found.push(`edit dialog ${text}`);
    await page.keyboard.press("Escape");
    await page.goto("/cache");
    await page
      .locator('[data-testid="namespace-row"][data-name="result"]')
      .getByRole("button")
      .last()
      .click();
    await expect(page.getByRole("dialog")).toBeVisible();
    await page.waitForTimeout(1_000);
    for (const text of await untranslatedText(page)) found.push(`flush dialog ${text}`);
  } finally {
    await page.context().close();
  }
  expect(found).toEqual([]);
});

test("the Monitor in Chinese shows a Chinese payload unchanged, and switching language keeps the live stream", async ({
  browser,
  redis,
}) => {
  const page = await chineseBrowser(browser);
  const channel = `e2e:中文:${Date.now()}`;
  const payload = "模型已更新：系数 1.7，温度 0.8 🚀";
  try {
    await signInChinese(page, "/monitor");
    await page.getByLabel(zh.monitor.watch.label.channel, { exact: true }).fill(channel);
    await page.getByLabel(zh.monitor.watch.label.channel, { exact: true }).press("Enter");
    const chip = page.locator(`[data-testid="watch-chip"][data-name="${channel}"]`);
    await expect(chip).toHaveAttribute("data-confirmed", "true");
    await redis.publish(channel, payload);
    const rows = page.getByTestId("message-row");
    await expect(rows.filter({ hasText: payload })).toHaveCount(1);
    expect(await untranslatedText(page)).toEqual([]);
    await page.screenshot({ path: "docs/screenshots/zh-monitor.png" });

    // English now: the page is rendered again in place; the message stays, the stream goes on.
    await page.getByLabel(zh.language.label).selectOption("en");
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByLabel(en.monitor.watch.label.channel, { exact: true })).toBeVisible();
    await expect(rows.filter({ hasText: payload })).toHaveCount(1);
    await redis.publish(channel, "after the switch");
    await expect(rows.filter({ hasText: "after the switch" })).toHaveCount(1);
    await page.getByLabel(en.language.label).selectOption("zh-CN");
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  } finally {
    await page.context().close();
  }
});

test("an admin reading Chinese flushes a namespace after a dry run and a typed confirmation", async ({
  browser,
  redis,
}) => {
  const prefix = `e2ezh${Date.now()}`;
  const pipeline = redis.pipeline();
  for (let i = 0; i < 120; i++) pipeline.set(`${prefix}:${i}`, `值 ${i}`);
  pipeline.set(`${prefix}keep`, "stays");
  await pipeline.exec();
  const page = await chineseBrowser(browser);
  try {
    await signInChinese(page, "/cache");
    const pattern = page.getByLabel(zh.cache.console.patternLabel);
    await pattern.fill(`${prefix}:*`);
    await pattern.press("Enter");
    const dialog = page.getByRole("dialog", { name: zh.cache.flushDialog.title });
    await expect(dialog.getByTestId("dry-run-count")).toHaveAttribute("data-count", "120");
    expect(await untranslatedText(page)).toEqual([]);
    await dialog.screenshot({ path: "docs/screenshots/zh-flush-dialog.png" });
    const flush = dialog.getByRole("button", { name: zh.cache.flushDialog.flush, exact: true });
    await expect(flush).toBeDisabled();
    await dialog.getByLabel(zh.cache.flushDialog.confirmPattern).fill(`${prefix}:*`);
    await flush.click();
    const banner = page.getByTestId("flush-banner");
    await expect(banner).toHaveAttribute("data-state", "done", { timeout: 20_000 });
    await expect(banner).toHaveText(`已清除 ${prefix}:*：共删除 120 个键。`);
    expect((await redis.scan("0", "MATCH", `${prefix}:*`, "COUNT", 10_000))[1]).toEqual([]);
    expect(await redis.get(`${prefix}keep`)).toBe("stays");
  } finally {
    await page.context().close();
    await redis.del(`${prefix}keep`);
  }
});
