import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Page } from "@playwright/test";
import { readNdjson } from "@/components/query/ndjson";
import type { KeyStreamLine } from "@/lib/keys/stream";
import { parseInfo, parseKeyValueList } from "@/lib/redis/info";
import { scanCount, unlinkMatching, writeKeys } from "@/tests/e2e/bulk-keys";
import { expect, test } from "@/tests/e2e/fixtures";

// The key list's "continue" (components/keys/use-key-stream.ts): one streamed answer of
// GET /api/keys/stream fills the list as it arrives, and Stop ends it where it got to; a reader who
// leaves stops the server's SCAN.

const KEYS = 3_000;

async function shownCount(page: Page): Promise<number> {
  const text = await page.getByTestId("key-count").innerText();
  return Number(text.match(/^([\d,]+)/)?.[1]?.replace(/,/g, "") ?? "0");
}

/** A pattern of its own: `<prefix>0` … `<prefix>2999`, written by the test and deleted after. */
function scratchPrefix(): string {
  return `e2e-stream:${randomBytes(4).toString("hex")}:`;
}

async function openList(page: Page, pattern: string): Promise<void> {
  await page.getByLabel("Pattern").fill(pattern);
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page.getByTestId("key-count")).toContainText("so far");
}

test("continuing streams the rest of 3,000 keys into the list in one request", async ({
  page,
  redis,
  signInAs,
}) => {
  const prefix = scratchPrefix();
  await writeKeys(redis, prefix, KEYS);
  try {
    await signInAs("viewer", "/keys");
    await openList(page, `${prefix}*`);
    expect(await shownCount(page)).toBeLessThan(KEYS);

    const requests: string[] = [];
    page.on("request", (request) => {
      const { pathname } = new URL(request.url());
      if (pathname.startsWith("/api/keys")) requests.push(pathname);
    });
    await page.getByRole("button", { name: "Continue scanning" }).click();
    await expect(page.getByTestId("scan-progress")).toContainText("Scanned all");
    await expect(page.getByTestId("key-count")).toHaveText(`3,000 keys matching ${prefix}* found, by name.`);
    expect(await scanCount(redis, `${prefix}*`)).toBe(KEYS);
    expect(requests).toEqual(["/api/keys/stream"]);

    // The rows are the keys: the last one by name is listed too.
    await page
      .getByTestId("key-scroller")
      .evaluate((scroller) => scroller.scrollTo(0, scroller.scrollHeight));
    await expect(page.getByTestId("key-link").getByText(`${prefix}999`, { exact: true })).toBeVisible();
  } finally {
    await unlinkMatching(redis, `${prefix}*`);
  }
});

test("Stop ends a streamed scan where it got to, and Continue goes on from there", async ({
  page,
  redis,
  signInAs,
}) => {
  const prefix = scratchPrefix();
  await writeKeys(redis, prefix, KEYS);
  try {
    await signInAs("viewer", "/keys");
    await openList(page, `${prefix}*`);
    // A slow line, so the stream is still arriving when Stop is pressed.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 0,
      downloadThroughput: 16 * 1024,
      uploadThroughput: -1,
    });
    const before = await shownCount(page);
    await page.getByRole("button", { name: "Continue scanning" }).click();
    const progress = page.getByTestId("scan-progress");
    await expect(progress).toHaveAttribute("data-streaming", "true");
    // At 16 KB/s a line of a thousand rows takes seconds to arrive.
    await expect.poll(() => shownCount(page), { timeout: 40_000 }).toBeGreaterThan(before);
    await page.getByRole("button", { name: "Stop scanning" }).click();

    await expect(progress).toHaveAttribute("data-streaming", "false");
    await expect(progress).toHaveAttribute("data-done", "false");
    await expect(progress).toContainText("so far");
    const stopped = await shownCount(page);
    expect(stopped).toBeLessThan(KEYS);
    await expect(page.getByTestId("key-count")).toContainText("so far");

    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    await page.getByRole("button", { name: "Continue scanning" }).click();
    await expect(progress).toContainText("Scanned all");
    await expect(page.getByTestId("key-count")).toHaveText(`3,000 keys matching ${prefix}* found, by name.`);
  } finally {
    await unlinkMatching(redis, `${prefix}*`);
  }
});

test("a reader who goes away mid-stream stops the server's SCAN", async ({ page, redis, signInAs }) => {
  const prefix = scratchPrefix();
  const many = 100_000;
  await writeKeys(redis, prefix, many);
  try {
    await signInAs("viewer", "/keys");
    const cookie = (await page.context().cookies()).map(({ name, value }) => `${name}=${value}`).join("; ");
    const scans = async () => {
      const stats = parseInfo(await redis.info("commandstats")).commandstats ?? {};
      return parseKeyValueList(stats.cmdstat_scan ?? "").calls ?? 0;
    };
    const before = await scans();
    const leaving = new AbortController();
    const response = await fetch(`${new URL(page.url()).origin}/api/keys/stream`, {
      headers: { cookie },
      signal: leaving.signal,
    });
    expect(response.headers.get("content-type")).toContain("application/x-ndjson");
    const lines = readNdjson<KeyStreamLine>(response.body!);
    expect((await lines.next()).value).toMatchObject({ kind: "start" });
    expect((await lines.next()).value).toMatchObject({ kind: "rows" });
    leaving.abort();
    await lines.return(undefined).catch(() => {});
    // What was sent before the abort has run after a moment; nothing follows it.
    await sleep(1_000);
    const after = await scans();
    await sleep(1_000);
    expect(await scans()).toBe(after);
    // A whole pass would take over a hundred SCAN calls of 1,000.
    expect(after - before).toBeLessThan(many / 1_000 / 5);
  } finally {
    await unlinkMatching(redis, `${prefix}*`);
  }
});
