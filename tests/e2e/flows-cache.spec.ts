import { randomBytes } from "node:crypto";
import type Redis from "ioredis";
import { toKeyRef } from "@/lib/redis/keys";
import { expect, signIn, test } from "@/tests/e2e/fixtures";

// Issue 11, reading the charts and the cache: what an operator sees on /cache and on key pages.

const unique = () => randomBytes(4).toString("hex");

/** SET traffic from outside the console, about `perSecond` commands a second, until stopped. */
function traffic(redis: Redis, perSecond: number): () => Promise<void> {
  let running = true;
  const loop = (async () => {
    while (running) {
      const pipeline = redis.pipeline();
      for (let i = 0; i < perSecond / 4; i++) pipeline.set(`e2e:traffic:${i % 5}`, String(i));
      await pipeline.exec();
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  return async () => {
    running = false;
    await loop;
    await redis.del(...Array.from({ length: 5 }, (_, i) => `e2e:traffic:${i}`));
  };
}

test("the console's own commands are left out of ops/s and the top commands, and ticks are round", async ({
  page,
  redis,
  signInAs,
}) => {
  const stop = traffic(redis, 40);
  try {
    await signInAs("operator", "/cache");
    const charts = page.getByTestId("metrics-charts");
    const ops = charts.getByTestId("chart-ops");
    await expect(ops.getByTestId("chart-ops-now")).toHaveText(/now \d/, { timeout: 15_000 });
    // Every sample's "now" reading from here on is kept (the section's data-sampled-at changes with
    // each sample): the chart's window may still hold the bursts of an earlier test's own writes,
    // so the readings taken during this test are what is judged.
    const readingsSoFar = () =>
      page.evaluate(() => (window as unknown as { opsReadings: string[] }).opsReadings.length);
    await charts.evaluate((section) => {
      const read = () => section.querySelector('[data-testid="chart-ops-now"]')?.textContent ?? "";
      const seen: string[] = [read()];
      (window as unknown as { opsReadings: string[] }).opsReadings = seen;
      new MutationObserver(() => seen.push(read())).observe(section, {
        attributes: true,
        attributeFilter: ["data-sampled-at"],
      });
    });
    // Sampling the namespaces sends a TYPE, PTTL and MEMORY USAGE per key; Refresh sends them again.
    await expect(page.locator('[data-testid="namespace-row"][data-name="result"]')).toBeVisible();
    const namespaces = page.locator("section").filter({ has: page.getByTestId("namespace-row") });
    for (let i = 0; i < 3; i++) {
      await namespaces.getByRole("button", { name: "Refresh" }).click();
      await expect(namespaces.getByRole("button", { name: "Refresh" })).toBeEnabled();
    }
    // Three samples after the last burst: each burst falls in one of the samples read.
    const afterBursts = await readingsSoFar();
    await expect.poll(readingsSoFar, { timeout: 15_000 }).toBeGreaterThanOrEqual(afterBursts + 3);
    await expect(ops.getByTestId("chart-ops-now")).toContainText("left out");
    // The outside traffic ranks; the console's own commands do not.
    await expect(ops.locator("li")).toContainText(["all commands", "set"]);
    const legend = await ops.locator("li").allTextContents();
    console.log(`legend: ${legend.join(", ")}`);
    for (const own of ["type", "pttl", "memory|usage", "info"]) expect(legend).not.toContain(own);
    // Every sample while the console sent its bursts of hundreds read about the 40 commands a second
    // sent from outside.
    const readings = await page.evaluate(() => (window as unknown as { opsReadings: string[] }).opsReadings);
    const charted = readings.map((text) => Number(/now ([\d.,]+)/.exec(text)?.[1]?.replaceAll(",", "")));
    expect(charted.length).toBeGreaterThanOrEqual(4);
    expect(Math.max(...charted)).toBeLessThan(200);
    expect(readings.some((text) => text.includes("left out"))).toBe(true);
    const opsTicks = (await ops.locator(".recharts-yAxis-tick-labels text").allTextContents()).map(Number);
    expectRound(opsTicks);

    // Memory ticks are round in the unit shown, and every tick label stays on one line.
    const memory = charts.getByTestId("chart-memory");
    const memoryTicks = (await memory.locator(".recharts-yAxis-tick-labels text").allTextContents()).filter(
      (tick) => /[A-Z]/.test(tick),
    );
    expect(memoryTicks.length).toBeGreaterThan(2);
    for (const tick of memoryTicks) expect(tick).toMatch(/^\d+ (B|KB|MB|GB)$/);
    const inUnit = memoryTicks.filter((tick) => tick.endsWith(memoryTicks.at(-1)!.split(" ")[1]!));
    expectRound(inUnit.map((tick) => Number(tick.split(" ")[0])));
    for (const text of await charts.locator(".recharts-cartesian-axis-tick-value").all()) {
      expect(await text.locator("tspan").count()).toBeLessThanOrEqual(1);
    }
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: "docs/screenshots/cache.png" });
    // "not sampled" labels never overlap one another.
    await charts.getByRole("button", { name: "15m" }).click();
    await expect(charts.getByTestId("metrics-source")).toContainText("a point per");
    for (const chart of await charts.locator("figure").all()) {
      const boxes = await chart
        .locator(".recharts-reference-area text")
        .evaluateAll((texts) => texts.map((t) => t.getBoundingClientRect()).map((r) => [r.left, r.right]));
      boxes.sort((a, b) => a[0]! - b[0]!);
      for (let i = 1; i < boxes.length; i++) expect(boxes[i]![0]!).toBeGreaterThanOrEqual(boxes[i - 1]![1]!);
    }
  } finally {
    await stop();
  }
});

/** Evenly spaced by a step of 1, 2 or 5 × 10^k. */
function expectRound(ticks: number[]): void {
  const sorted = [...ticks].sort((a, b) => a - b);
  const step = (sorted[1] ?? 1) - (sorted[0] ?? 0);
  const mantissa = step / 10 ** Math.floor(Math.log10(step));
  expect([1, 2, 5]).toContain(Math.round(mantissa * 1e6) / 1e6);
  for (let i = 1; i < sorted.length; i++) expect(sorted[i]! - sorted[i - 1]!).toBeCloseTo(step, 6);
}

test("the flush banner follows its job: 'in the background' while it runs, what it did once done", async ({
  page: operatorPage,
  browser,
  redis,
  signInAs,
}) => {
  let page = operatorPage;
  const prefix = `e2eban${unique()}`;
  const pipeline = redis.pipeline();
  for (let i = 0; i < 300; i++) pipeline.set(`${prefix}:${i}`, String(i));
  await pipeline.exec();
  try {
    await signInAs("operator", "/cache");
    await page.getByLabel("Pattern to flush").fill(`${prefix}:*`);
    await page.getByLabel("Pattern to flush").press("Enter");
    const dialog = page.getByRole("dialog", { name: "Flush keys" });
    await expect(dialog.getByTestId("dry-run-count")).toHaveAttribute("data-count", "300");
    await dialog.getByLabel("Type the pattern to confirm").fill(`${prefix}:*`);
    await dialog.getByRole("button", { name: "Flush", exact: true }).click();
    const banner = page.getByTestId("flush-banner");
    await expect(banner).toHaveAttribute("data-state", "done", { timeout: 20_000 });
    await expect(banner).toHaveText(`Flushed ${prefix}:*: 300 keys deleted.`);
    expect((await redis.scan("0", "MATCH", `${prefix}:*`, "COUNT", 10_000))[1]).toEqual([]);
    await page.getByRole("button", { name: "Dismiss" }).click();
    await expect(banner).toBeHidden();

    // The audit log says what the count counts, and names the target whole.
    const admin = await (await browser.newContext({ viewport: { width: 1024, height: 800 } })).newPage();
    await signIn(admin, "admin", "/settings/audit");
    page = admin;
    const row = page
      .getByTestId("audit-row")
      .filter({ hasText: "cache.flush" })
      .filter({ hasText: prefix })
      .first();
    await expect(row.getByTestId("audit-change")).toContainText("(300 keys)");
    const target = row.getByTestId("audit-target");
    await expect(target).toContainText(`${prefix}:*`);
    // "primary" and the pattern each sit on one line: nothing breaks them mid-word.
    const lines = await target.locator("span").evaluateAll((spans) =>
      spans.map((span) => {
        const range = document.createRange();
        range.selectNodeContents(span);
        return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
      }),
    );
    for (const count of lines) expect(count).toBe(1);
  } finally {
    const left = (await redis.scan("0", "MATCH", `${prefix}:*`, "COUNT", 10_000))[1];
    if (left.length) await redis.unlink(...left);
  }
});

test("sorted-set scores show in their shortest form, and the breadcrumb walks the key's namespaces", async ({
  page,
  redis,
  signInAs,
  scratchKey,
}) => {
  const key = scratchKey("e2e_crumb:", ":scores");
  await redis.zadd(key, 0.81, "a", 1.5, "b", 0.1, "c");
  // Redis 7.0 writes 0.81 as 0.81000000000000005; the page shows what was stored.
  expect((await redis.call("ZRANGE", key, "0", "-1", "WITHSCORES")) as string[]).not.toContain("0.81");
  await signInAs("viewer", `/keys/${toKeyRef(key)}`);
  const rows = page.getByTestId("reader-row");
  await expect(rows.nth(1)).toHaveAttribute("data-score", "0.81");
  await expect(rows.nth(1)).toContainText("0.81");
  await expect(rows.nth(1)).not.toContainText("0.8100");
  await expect(rows.first()).toHaveAttribute("data-score", "0.1");

  const crumbs = page.getByRole("navigation", { name: "Breadcrumb" });
  const [, middle] = key.split(":");
  await expect(crumbs.getByRole("link")).toHaveText(["Keys", "e2e_crumb:", `e2e_crumb:${middle}:`]);
  await expect(crumbs).not.toContainText("sorted set");
  await crumbs.getByRole("link", { name: `e2e_crumb:${middle}:`, exact: true }).click();
  await expect(page).toHaveURL(/\/keys\?view=tree&prefix=e2e_crumb%3A/);
  await expect(page.getByTestId("key-row").filter({ hasText: key })).toBeVisible();
});

test("an entry opened from /cache leads back to its namespace there", async ({ page, signInAs }) => {
  await signInAs("viewer", "/cache");
  const row = page.locator('[data-testid="namespace-row"][data-name="result"]');
  await row
    .getByRole("link")
    .filter({ hasText: /^result:\d+$/ })
    .first()
    .click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^result:\d+$/);
  const crumbs = page.getByRole("navigation", { name: "Breadcrumb" });
  await expect(crumbs.getByRole("link")).toHaveText(["Cache", "result:"]);
  await crumbs.getByRole("link", { name: "result:" }).click();
  await expect(page).toHaveURL("/cache?prefix=result%3A");
  await expect(page.getByRole("button", { name: "Up" }).or(page.getByText("› result:"))).toBeVisible();
});

test("key names show quotes and markup as they are; pasted as shown they find and open the key", async ({
  page,
  redis,
  signInAs,
  trackKey,
}) => {
  const id = unique();
  const names = [
    `e2e_q_${id}:{"x": 5}`,
    `e2e_q_${id}:<img src=x onerror="alert(1)">`,
    `e2e_q_${id}:C:\\models\\churn`,
  ];
  for (const name of names) await redis.set(trackKey(name), "v");
  await signInAs("viewer", "/keys");
  await page.getByLabel("Pattern").fill(`e2e_q_${id}:*`);
  await page.getByLabel("Pattern").press("Enter");
  const links = page.getByTestId("key-link");
  await expect(links).toHaveCount(3);
  expect((await links.allTextContents()).sort()).toEqual([...names].sort());
  for (const text of await links.allTextContents()) expect(text).not.toContain('\\"');

  for (const name of names) {
    // Pasted as shown, the name finds exactly that key, which opens under the same name.
    await page.getByLabel("Pattern").fill(name);
    await page.getByLabel("Pattern").press("Enter");
    await expect(page.getByTestId("key-row")).toHaveCount(1);
    await expect(page.getByTestId("key-row")).toHaveAttribute("data-key", name);
    await page.getByTestId("key-link").click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
    expect(await redis.get(name)).toBe("v");
    await page.goBack();
  }
});
