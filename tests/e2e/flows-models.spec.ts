import type { Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { toKeyRef } from "@/lib/redis/keys";
import { expect, test } from "@/tests/e2e/fixtures";

// The everyday model flows of issue 11, driven with the keyboard as a person does.

const unique = () => randomBytes(4).toString("hex");

function row(page: Page, field: string) {
  return page.locator(`[data-testid="param-row"][data-field="${field}"]`);
}

test("a JSON value is edited in a multi-line box: Enter adds a line, Ctrl+Enter saves", async ({
  page,
  redis,
  signInAs,
  scratchKey,
}) => {
  const key = scratchKey("model:e2e_json_", ":v1");
  await redis.hset(key, "layers", "[64, 32]");
  await signInAs("editor", `/models/${toKeyRef(key)}`);
  await page.getByRole("button", { name: "Edit layers", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Edit layers" });
  const value = dialog.getByRole("textbox", { name: "Value" });
  await expect(value).toBeFocused();
  await expect(dialog.getByTestId("value-hint")).toContainText("Ctrl+Enter");
  await page.keyboard.type("[128, 64,");
  await page.keyboard.press("Enter");
  await page.keyboard.type("32]");
  // Enter started a new line instead of saving.
  await expect(dialog).toBeVisible();
  await expect(value).toHaveValue("[128, 64,\n32]");
  expect(await redis.hget(key, "layers")).toBe("[64, 32]");
  await page.keyboard.press("Control+Enter");
  await expect(dialog).toBeHidden();
  expect(await redis.hget(key, "layers")).toBe("[128, 64,\n32]");
});

test("saving the value a parameter already holds writes nothing and records nothing", async ({
  page,
  redis,
  signInAs,
  scratchKey,
}) => {
  const key = scratchKey("model:e2e_same_", ":v1");
  await redis.hset(key, "alpha", "0.5");
  const historyKey = `__console:history:primary:${toKeyRef(key)}`;
  await signInAs("editor", `/models/${toKeyRef(key)}`);
  const auditBefore = await redis.xlen("__console:audit");

  // A second client WATCHes the hash: any write to it, even of the same bytes, fails its EXEC.
  const watcher = redis.duplicate();
  try {
    await watcher.watch(key);
    await page.getByRole("button", { name: "Edit alpha", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Edit alpha" });
    await expect(dialog.getByLabel("Value")).toBeFocused();
    await page.keyboard.type("0.5");
    await page.keyboard.press("Enter");
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId("param-note")).toHaveText("alpha already holds 0.5; nothing was written.");
    expect(await watcher.multi().ping().exec()).not.toBeNull();
  } finally {
    watcher.disconnect();
  }
  expect(await redis.xlen(historyKey)).toBe(0);

  // A real change (0.5 → 0.50, other bytes) is written and recorded once.
  await page.getByRole("button", { name: "Edit alpha", exact: true }).click();
  await page.keyboard.type("0.50");
  await page.keyboard.press("Enter");
  await expect(row(page, "alpha").getByTestId("param-value")).toHaveText("0.50");
  expect(await redis.hget(key, "alpha")).toBe("0.50");
  // The one real change (0.5 → 0.50) is recorded once, in history and in the audit log.
  expect(await redis.xlen(historyKey)).toBe(1);
  await expect.poll(() => redis.xlen("__console:audit")).toBe(auditBefore + 1);
  const newest = (await redis.xrevrange("__console:audit", "+", "-", "COUNT", 1))[0];
  const fields = newest?.[1] ?? [];
  expect(fields.join(" ")).toContain("model.set");
});

test("the server writes nothing for an unchanged value even when the browser sends it", async ({
  page,
  redis,
  signInAs,
  scratchKey,
}) => {
  // The kind changes (float → text), so the page sends the same bytes to the server.
  const key = scratchKey("model:e2e_same_srv_", ":v1");
  await redis.hset(key, "beta", "2");
  await signInAs("editor", `/models/${toKeyRef(key)}`);
  const auditBefore = await redis.xlen("__console:audit");
  const watcher = redis.duplicate();
  try {
    await watcher.watch(key);
    await page.getByRole("button", { name: "Edit beta", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Edit beta" });
    await dialog.getByLabel("Kind").selectOption("text");
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId("param-note")).toContainText(
      "already held that value; nothing was written",
    );
    expect(await watcher.multi().ping().exec()).not.toBeNull();
  } finally {
    watcher.disconnect();
  }
  expect(await redis.xlen("__console:audit")).toBe(auditBefore);
});

test("plain and percent-encoded names in the address open the key; a malformed address is answered in the console", async ({
  page,
  signInAs,
  redis,
  scratchKey,
}) => {
  await signInAs("viewer", "/models/linear_regression");
  await expect(page).toHaveURL(`/models/${toKeyRef("linear_regression")}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("linear_regression");

  await page.goto(`/models/${encodeURIComponent("model:churn_classifier:v3")}?tab=chart`);
  await expect(page).toHaveURL(`/models/${toKeyRef("model:churn_classifier:v3")}?tab=chart`);
  await expect(page.getByTestId("numeric-params-chart")).toBeVisible();

  const key = scratchKey("e2e:addr:", " spaced");
  await redis.set(key, "v");
  await page.goto(`/keys/${encodeURIComponent(key)}`);
  await expect(page).toHaveURL(`/keys/${toKeyRef(key)}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(key);

  await page.goto("/models/no_such_model_anywhere");
  await expect(page.getByRole("main").getByRole("alert")).toContainText(
    "There is no key named no_such_model_anywhere.",
  );

  const response = await page.goto("/models/%%%garbage");
  expect(response?.status()).toBeLessThan(500);
  // Inside the shell: the navigation is there, and the page says what is wrong.
  await expect(page.getByRole("navigation", { name: "Main" })).toBeAttached();
  await expect(page.getByRole("main").getByRole("alert")).toContainText("not valid percent-encoding");
});

test("parameters of very different sizes are drawn on a log scale with their values printed", async ({
  page,
  signInAs,
}) => {
  await signInAs("viewer", `/models/${toKeyRef("model:churn_classifier:v3")}?tab=chart`);
  const chart = page.getByTestId("numeric-params-chart");
  await expect(chart).toHaveAttribute("data-scale", "log");
  // One heading, not two.
  await expect(page.getByText("Numeric parameters", { exact: true })).toHaveCount(1);
  // Every value is printed beside its bar: 300 trees and a 0.03 learning rate alike.
  const labels = chart.locator(".recharts-label-list text");
  await expect(labels.filter({ hasText: /^300$/ })).toHaveCount(1);
  await expect(labels.filter({ hasText: /^0\.03$/ })).toHaveCount(1);
  const bars = chart.locator(".recharts-bar-rectangle path");
  const widths = async () =>
    (await bars.evaluateAll((paths) => paths.map((p) => p.getBoundingClientRect().width))).sort(
      (a, b) => a - b,
    );
  const logWidths = await widths();
  // On the log scale the smallest bar is still a bar (a linear axis would draw 0.03/300 of the largest).
  expect(logWidths[0]!).toBeGreaterThan(logWidths.at(-1)! * 0.1);
  // Round ticks: powers of ten.
  const ticks = await chart.locator(".recharts-xAxis-tick-labels text").allTextContents();
  expect(ticks.length).toBeGreaterThan(3);
  for (const tick of ticks) expect(tick).toMatch(/^(0\.0*1|1(0|,000)*)$/);

  await chart.getByRole("button", { name: "Linear" }).click();
  await expect(chart).toHaveAttribute("data-scale", "linear");
  const linearWidths = await widths();
  expect(linearWidths[0]!).toBeLessThan(linearWidths.at(-1)! * 0.01);

  await page.goto(`/models/${toKeyRef("model:embedding_encoder:v1")}?tab=chart`);
  const histogram = page.getByTestId("vector-histogram");
  await expect(histogram.getByTestId("vector-histogram-note")).toHaveText(
    /^every 4th of 256 values \(64 drawn\), in bins [\d.]+ wide$/,
  );
  const binTicks = (await histogram.locator(".recharts-xAxis-tick-labels text").allTextContents())
    .map((text) => text.trim())
    .filter(Boolean);
  expect(binTicks.length).toBeGreaterThan(2);
  // Each labelled tick is a round number: one significant digit.
  for (const tick of binTicks)
    expect(Math.abs(Number(tick) - Number(Number(tick).toPrecision(1)))).toBeLessThan(1e-9);
});

test("compare says the change reads A → B, and Swap turns it round", async ({
  page,
  redis,
  signInAs,
  trackKey,
}) => {
  const name = `e2e_dir_${unique()}`;
  await redis.hset(trackKey(`model:${name}:v1`), "lr", "0.1");
  await redis.hset(trackKey(`model:${name}:v2`), "lr", "0.15");
  await signInAs("viewer", `/models/${toKeyRef(`model:${name}:v2`)}`);
  await page.getByRole("link", { name: "v1", exact: true }).last().click();
  await expect(page.getByTestId("compare-direction")).toContainText(`model:${name}:v1 → model:${name}:v2`);
  await expect(page.getByTestId("compare-side-a")).toContainText(`model:${name}:v1`);
  await expect(page.getByRole("columnheader", { name: "Change A → B" })).toBeVisible();
  await expect(page.getByTestId("compare-differ-row")).toContainText("+0.05");

  await page.getByRole("link", { name: "Swap A and B" }).click();
  await expect(page.getByTestId("compare-direction")).toContainText(`model:${name}:v2 → model:${name}:v1`);
  await expect(page.getByTestId("compare-side-a")).toContainText(`model:${name}:v2`);
  await expect(page.getByTestId("compare-differ-row")).toContainText("-0.05");
});

test("a field filter on the 100,000-field model says it is searching until the scan is done", async ({
  page,
  signInAs,
}) => {
  await signInAs("viewer", `/models/${toKeyRef("model:feature_weights:v1")}`);
  await expect(page.getByTestId("fields-progress")).toContainText("of 100,000 fields loaded");
  // Record every "no match" the table ever says while the filter runs.
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { noMatchSeen: string[] }).noMatchSeen = seen;
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid="param-scroller"]')?.textContent ?? "";
      if (text.includes("No field matches")) seen.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await page.getByLabel("Filter by field name (glob)").fill("w_99999");
  // HSCAN's order changes with every server start (its hash seed is random), so the one match may
  // come in the first page or the last: either way the page says it is still searching.
  await expect(page.getByTestId("fields-progress")).toHaveText(
    /^Searching… [\d,]+ of 100,000 fields scanned; (0 fields match|1 field matches) w_99999 so far\.$/,
  );
  await expect(page.getByTestId("fields-progress")).toHaveText(
    "1 field matches w_99999 (all 100,000 fields scanned).",
    { timeout: 30_000 },
  );
  await expect(row(page, "w_99999")).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { noMatchSeen: string[] }).noMatchSeen)).toEqual([]);
});
