import { randomBytes } from "node:crypto";
import type { BrowserContext, Page } from "@playwright/test";
import type Redis from "ioredis";
import { expect, signIn, test } from "@/tests/e2e/fixtures";

// Issue 10: one live stream per browser, whatever the number of tabs. Browsers allow six HTTP/1.1
// connections per host; with one stream per tab, the seventh tab never loaded.

const unique = (prefix: string) => `${prefix}${randomBytes(4).toString("hex")}`;

async function watchChannel(page: Page, channel: string) {
  await page.getByLabel("Channel", { exact: true }).fill(channel);
  await page.getByLabel("Channel", { exact: true }).press("Enter");
  await expect(page.locator(`[data-testid="watch-chip"][data-name="${channel}"]`)).toHaveAttribute(
    "data-confirmed",
    "true",
  );
}

async function numsub(redis: Redis, channel: string): Promise<number> {
  return Number(((await redis.pubsub("NUMSUB", channel)) as [string, number])[1]);
}

/** What the server holds for this browser's session: streams and tab channels. */
async function liveStreams(page: Page): Promise<{ streams: number; tabs: number }> {
  return page.evaluate(async () => {
    const response = await fetch("/api/live/streams");
    return (await response.json()).data;
  });
}

/**
 * Puts a tab in the background or brings it to the front, as switching tabs in one window does.
 * Headless Chromium shows every tab at once; people see one tab of a window at a time.
 */
async function setHidden(page: Page, hidden: boolean) {
  await page.evaluate((hide) => {
    Object.defineProperty(document, "visibilityState", {
      configurable: true,
      get: () => (hide ? "hidden" : "visible"),
    });
    Object.defineProperty(document, "hidden", { configurable: true, get: () => hide });
    document.dispatchEvent(new Event("visibilitychange"));
  }, hidden);
}

/**
 * Opens tabs one after another, each watching a channel of its own. Given the tab they open from,
 * each tab left behind goes to the background, as in one window; without it all stay in view.
 */
async function openMonitorTabs(context: BrowserContext, count: number, prefix: string, behind?: Page) {
  const tabs: { page: Page; channel: string }[] = [];
  let previous = behind;
  for (let i = 0; i < count; i++) {
    if (previous) await setHidden(previous, true);
    const page = await context.newPage();
    await page.goto("/monitor");
    const channel = unique(`${prefix}${i}_`);
    await watchChannel(page, channel);
    tabs.push({ page, channel });
    if (behind) previous = page;
  }
  return tabs;
}

test("twelve Monitor tabs and two chart tabs share one stream; each gets its own channel, and requests still go through", async ({
  browser,
  redis,
}) => {
  test.setTimeout(180_000);
  const context = await browser.newContext();
  const first = await context.newPage();
  await signIn(first, "viewer", "/monitor");
  const tabs = [{ page: first, channel: unique("e2e_tabs_0_") }];
  await watchChannel(first, tabs[0]!.channel);
  tabs.push(...(await openMonitorTabs(context, 11, "e2e_tabs_", first)));
  await setHidden(tabs.at(-1)!.page, true);
  const charts: Page[] = [];
  for (const path of ["/", "/cache"]) {
    const page = await context.newPage();
    await page.goto(path);
    await expect(page.getByTestId("metrics-charts").first()).toHaveAttribute("data-sampled-at", /\d+/);
    await setHidden(page, true);
    charts.push(page);
  }

  // Messages arrive while the tabs are in the background; each tab, brought to the front, shows
  // its own channel's three and nothing else.
  for (const { channel } of tabs) {
    for (let n = 1; n <= 3; n++) await redis.publish(channel, `${channel} says ${n}`);
  }
  for (const { page, channel } of tabs) {
    await setHidden(page, false);
    await expect(page.getByTestId("message-count")).toHaveAttribute("data-count", "3");
    const payloads = await page.getByTestId("message-payload").allTextContents();
    expect(
      payloads.every((text) => text.startsWith(channel)),
      `${channel}: ${payloads.join(" | ")}`,
    ).toBe(true);
    await setHidden(page, true);
  }

  // A chart tab in the background draws nothing; brought to the front, it shows the newest sample.
  const cache = charts[1]!.getByTestId("metrics-charts").first();
  const drawn = Number(await cache.getAttribute("data-sampled-at"));
  await charts[1]!.waitForTimeout(2_500);
  expect(Number(await cache.getAttribute("data-sampled-at"))).toBe(drawn);
  await setHidden(charts[1]!, false);
  await expect
    .poll(async () => Number(await cache.getAttribute("data-sampled-at")), { timeout: 2_000 })
    .toBeGreaterThan(drawn + 2_000);
  await setHidden(charts[1]!, true);

  // Ordinary requests are not starved of connections, from any tab. Timed by the browser's own
  // Resource Timing, from the request being queued to its last byte: a request starved of a
  // connection waits in that queue (seconds, or for ever); a busy page's main thread, which
  // fourteen tabs on two cores have, does not count.
  for (const page of context.pages()) {
    const took = await page.evaluate(async () => {
      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        const url = new URL(`/api/overview?probe=${Math.random()}`, location.href).href;
        const response = await fetch(url);
        if (!response.ok) throw new Error(`overview answered ${response.status}`);
        await response.text();
        const entry = performance.getEntriesByName(url)[0] as PerformanceResourceTiming | undefined;
        if (entry) times.push(entry.responseEnd - entry.startTime);
      }
      return Math.min(...times);
    });
    expect(took).toBeLessThan(500);
  }
  expect(await liveStreams(first)).toMatchObject({ streams: 1 });
  await context.close();
  await expect.poll(() => numsub(redis, tabs[0]!.channel)).toBe(0);
});

test("without SharedWorker a leader tab holds the stream; when it closes another takes over after a gap notice", async ({
  browser,
  redis,
}) => {
  const context = await browser.newContext();
  await context.addInitScript(() => {
    // The test switch: a browser without SharedWorker (Chrome on Android, some privacy modes).
    (window as unknown as { SharedWorker?: unknown }).SharedWorker = undefined;
  });
  const leader = await context.newPage();
  await signIn(leader, "viewer", "/monitor");
  const leaderChannel = unique("e2e_leader_");
  await watchChannel(leader, leaderChannel);
  const followers = await openMonitorTabs(context, 2, "e2e_follower_");
  expect(await liveStreams(leader)).toMatchObject({ streams: 1 });
  await redis.publish(followers[0]!.channel, "before");
  await expect(followers[0]!.page.getByTestId("message-count")).toHaveAttribute("data-count", "1");

  await leader.close();
  // Each tab shows the gap, then its watch again confirmed on the new stream (pub/sub keeps
  // nothing for the gap: what is published before a tab is subscribed again is not its to see).
  for (const { page, channel } of followers) {
    await expect(page.getByTestId("interruption-banner").first()).toBeVisible();
    await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "open");
    await expect(page.locator(`[data-testid="watch-chip"][data-name="${channel}"]`)).toHaveAttribute(
      "data-confirmed",
      "true",
    );
  }
  for (const { channel } of followers) await redis.publish(channel, "after");
  await expect(followers[0]!.page.getByTestId("message-count")).toHaveAttribute("data-count", "2");
  await expect(followers[1]!.page.getByTestId("message-count")).toHaveAttribute("data-count", "1");
  expect(await liveStreams(followers[0]!.page)).toMatchObject({ streams: 1 });
  await expect.poll(() => numsub(redis, leaderChannel)).toBe(0);
  await context.close();
});

test("signing out in one tab ends live data in every tab and releases every subscription", async ({
  browser,
  redis,
}) => {
  const context = await browser.newContext();
  const first = await context.newPage();
  await signIn(first, "operator", "/monitor");
  const firstChannel = unique("e2e_signout_");
  await watchChannel(first, firstChannel);
  const [other] = await openMonitorTabs(context, 1, "e2e_signout_other_");
  expect(await numsub(redis, other!.channel)).toBe(1);

  await first.getByRole("button", { name: "Sign out" }).click();
  await expect(first).toHaveURL(/\/login$/);
  await expect(other!.page.getByTestId("live-status")).toHaveAttribute("data-status", "ended");
  await expect(other!.page.getByTestId("live-error")).toContainText("signed out");
  await expect.poll(() => numsub(redis, other!.channel)).toBe(0);
  expect(await numsub(redis, firstChannel)).toBe(0);

  // Signed in again while the other tab still shows the end: live data works again.
  await signIn(first, "operator", "/monitor");
  await watchChannel(first, firstChannel);
  await redis.publish(firstChannel, "welcome back");
  await expect(first.getByTestId("message-count")).toHaveAttribute("data-count", "1");
  await context.close();
});
