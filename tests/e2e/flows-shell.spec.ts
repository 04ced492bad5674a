import { toKeyRef } from "@/lib/redis/keys";
import { expect, test } from "@/tests/e2e/fixtures";

// Issue 11, any screen: a phone, the keyboard and a screen reader.

const PAGES = [
  "/",
  "/models",
  `/models/${toKeyRef("model:churn_classifier:v3")}`,
  `/models/${toKeyRef("model:churn_classifier:v3")}?tab=chart`,
  `/models/compare?a=${toKeyRef("model:churn_classifier:v2")}&b=${toKeyRef("model:churn_classifier:v3")}`,
  "/cache",
  "/keys",
  `/keys/${toKeyRef("stream:predictions")}`,
  "/monitor",
  "/settings",
  "/settings/audit",
];

test.describe("at phone width (390 × 844)", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("navigation folds behind a Menu button and no page scrolls sideways", async ({ page, signInAs }) => {
    await signInAs("admin", "/models");
    const menu = page.getByRole("button", { name: "Menu" });
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(menu).toBeVisible();
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await expect(nav).toBeHidden();
    await expect(page.getByTestId("model-row").first()).toBeVisible();
    await page.screenshot({ path: "docs/screenshots/phone-models.png" });

    await menu.click();
    await expect(nav).toBeVisible();
    await expect(menu).toHaveAttribute("aria-expanded", "true");
    await page.screenshot({ path: "docs/screenshots/phone-menu.png" });
    await nav.getByRole("link", { name: "Keys" }).click();
    await expect(page).toHaveURL("/keys");
    await expect(nav).toBeHidden();
    await menu.click();
    await page.keyboard.press("Escape");
    await expect(nav).toBeHidden();

    for (const path of PAGES) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await page.waitForTimeout(1_000);
      const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      expect(widths[0], `${path} scrolls sideways`).toBeLessThanOrEqual(widths[1]!);
    }
    await page.goto("/cache");
    await expect(page.locator('[data-testid="namespace-row"][data-name="result"]')).toBeVisible();
    await page.screenshot({ path: "docs/screenshots/phone-cache.png", fullPage: true });
  });

  test("a model's row says its fields, memory and TTL under its name, with nothing to swipe for", async ({
    page,
    signInAs,
  }) => {
    await signInAs("viewer", "/models");
    const table = page.getByTestId("models-table");
    const row = table.getByTestId("model-row").filter({ hasText: "model:fraud_detector:v1" });
    await expect(row.getByTestId("model-row-facts")).toHaveText(/^\d+ fields · \d[\d.]* (B|KB) · no expiry$/);
    await row.scrollIntoViewIfNeeded(); // down the page, not sideways
    await expect(row.getByTestId("model-row-facts")).toBeInViewport({ ratio: 1 });
    await expect(table.getByRole("columnheader", { name: "Fields" })).toBeHidden();
    const frame = table.locator("xpath=..");
    expect(await frame.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
    await expect(frame.locator("xpath=..").getByTestId("scroll-shade-right")).toHaveCSS("opacity", "0");
  });

  test("a key's row says its TTL and memory under its name, with nothing to swipe for", async ({
    page,
    redis,
    signInAs,
    scratchKey,
  }) => {
    const prefix = `e2e:phone:${Date.now()}:`;
    const expiring = scratchKey(prefix, ":expiring");
    const lasting = scratchKey(prefix, ":lasting");
    await redis.set(expiring, "x".repeat(200), "EX", 7_200);
    await redis.set(lasting, "y");
    await signInAs("viewer", "/keys");
    await page.getByLabel("Pattern").fill(`${prefix}*`);
    await page.getByLabel("Pattern").press("Enter");
    const table = page.getByRole("table").filter({ has: page.getByRole("columnheader", { name: "Key" }) });
    const row = (key: string) => table.locator(`[data-testid="key-row"][data-key="${key}"]`);
    await expect(row(expiring).getByTestId("key-row-facts")).toHaveText(
      /^expires in (1|2) ?h.* · \d[\d.]* (B|KB)$/,
    );
    await expect(row(lasting).getByTestId("key-row-facts")).toHaveText(/^no expiry · \d+ B$/);
    await expect(row(expiring).getByTestId("key-row-facts")).toBeInViewport({ ratio: 1 });
    await expect(row(expiring).getByTestId("key-type")).toBeInViewport({ ratio: 1 });
    await expect(table.getByRole("columnheader", { name: "Memory" })).toBeHidden();
    expect(await table.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
    await expect(table.locator("xpath=..").getByTestId("scroll-shade-right")).toHaveCSS("opacity", "0");
    await page.screenshot({ path: test.info().outputPath("phone-keys.png") });

    // From a small tablet's width up, the columns are back and the line under the name is gone.
    await page.setViewportSize({ width: 800, height: 844 });
    await expect(table.getByRole("columnheader", { name: "Memory" })).toBeVisible();
    await expect(row(lasting).getByTestId("key-row-facts")).toBeHidden();
    await expect(row(lasting).getByTestId("key-ttl")).toHaveText("no expiry");
  });

  test("a table wider than the screen shades the edge it has more beyond, and the shade follows a swipe", async ({
    page,
    signInAs,
  }) => {
    await signInAs("viewer", `/models/${toKeyRef("model:churn_classifier:v3")}`);
    const actions = page.getByRole("columnheader", { name: "Actions" });
    const frame = page.getByRole("table", { name: "Parameters" }); // scrolls sideways on a phone
    await expect(frame.getByTestId("param-row").first()).toBeVisible();
    const shades = frame.locator("xpath=..");
    const left = shades.getByTestId("scroll-shade-left");
    const right = shades.getByTestId("scroll-shade-right");
    // The actions are off to the right at 390 px: the right edge says so.
    await expect(actions).not.toBeInViewport();
    await expect(right).toHaveCSS("opacity", "1");
    await expect(left).toHaveCSS("opacity", "0");
    await page.screenshot({
      path: test.info().outputPath("phone-params.png"),
      clip: (await frame.boundingBox())!,
    });

    await page.getByRole("columnheader", { name: "Field" }).hover();
    await page.mouse.wheel(2_000, 0); // a sideways swipe to the end
    await expect(actions).toBeInViewport();
    await expect(left).toHaveCSS("opacity", "1");
    await expect(right).toHaveCSS("opacity", "0");
    await page.screenshot({ path: test.info().outputPath("phone-params-scrolled.png") });

    await page.mouse.wheel(-2_000, 0);
    await expect(left).toHaveCSS("opacity", "0");
    await expect(right).toHaveCSS("opacity", "1");
  });
});

test("a skip link leads past the navigation to the page", async ({ page, signInAs }) => {
  await signInAs("viewer", "/models");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(page.locator("main#main")).toBeFocused();
  await page.keyboard.press("Tab");
  // The next stop is in the page, not in the side bar.
  expect(await page.evaluate(() => Boolean(document.activeElement?.closest("main")))).toBe(true);
});

test("Tab and Shift+Tab stay inside an open dialog", async ({ page, redis, signInAs, scratchKey }) => {
  const key = scratchKey("model:e2e_trap_", ":v1");
  await redis.hset(key, "alpha", "0.1");
  await signInAs("editor", `/models/${toKeyRef(key)}`);
  await page.getByRole("button", { name: "Edit alpha", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Edit alpha" });
  await expect(dialog.getByLabel("Value")).toBeFocused();
  const inside = () => page.evaluate(() => Boolean(document.activeElement?.closest("dialog[open]")));
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press("Tab");
    expect(await inside()).toBe(true);
  }
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press("Shift+Tab");
    expect(await inside()).toBe(true);
  }
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  expect(await redis.hget(key, "alpha")).toBe("0.1");
});

test("the parameter table, the keys list and the message table are tables with header cells", async ({
  page,
  signInAs,
}) => {
  await signInAs("viewer", `/models/${toKeyRef("model:churn_classifier:v3")}`);
  const params = page.getByRole("table", { name: "Parameters" });
  await expect(params.getByRole("columnheader")).toHaveText(["Field", "Kind", "Value", "Actions"]);
  const learning = params
    .getByRole("row")
    .filter({ has: page.getByRole("rowheader", { name: "learning_rate" }) });
  await expect(learning.getByRole("cell").first()).toBeVisible();

  await page.goto("/keys");
  const keys = page.getByRole("table", { name: "Keys" });
  await expect(keys.getByRole("columnheader")).toHaveText(["Key", "Type", "TTL", "Memory"]);
  await expect(keys.getByRole("row").nth(1).getByRole("cell")).toHaveCount(4);

  await page.goto("/monitor");
  const messages = page.getByRole("table", { name: "Messages" });
  await expect(messages.getByRole("columnheader")).toHaveText([
    "Time (UTC)",
    "Channel",
    "Pattern",
    "Size",
    "Payload",
  ]);
});

test("placeholders keep their underscores", async ({ page, signInAs }) => {
  await signInAs("viewer", "/models");
  const input = page.getByLabel("Open a hash by name");
  await expect(input).toHaveAttribute("placeholder", "linear_regression");
  // Drawn with the underscore and with a space in its place, the hint must look different.
  const withUnderscore = await input.screenshot();
  await input.evaluate((el) => el.setAttribute("placeholder", "linear regression"));
  const withSpace = await input.screenshot();
  expect(withUnderscore.equals(withSpace)).toBe(false);
  // What is typed stays monospace.
  expect(await input.evaluate((el) => getComputedStyle(el).fontFamily)).toContain("monospace");
});
