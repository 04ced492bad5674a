import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import Redis from "ioredis";
import type { LiveMessage } from "@/lib/live/protocol";
import { startTraffic } from "@/scripts/traffic-sim";
import { expect, test } from "@/tests/e2e/fixtures";

const redisUrl = () => `redis://127.0.0.1:${process.env.E2E_REDIS_PORT}`;
const unique = (prefix: string) => `${prefix}${randomBytes(4).toString("hex")}`;

async function watchChannel(page: Page, channel: string) {
  await page.getByLabel("Channel", { exact: true }).fill(channel);
  await page.getByRole("button", { name: "Watch channel" }).click();
  await expect(page.locator(`[data-testid="watch-chip"][data-name="${channel}"]`)).toHaveAttribute(
    "data-confirmed",
    "true",
  );
}

async function exported(page: Page): Promise<LiveMessage[]> {
  const download = page.waitForEvent("download");
  await page.getByRole("tabpanel", { name: "Pub/sub" }).getByRole("button", { name: "Export" }).click();
  const file = await (await download).path();
  return readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LiveMessage);
}

async function numsub(redis: Redis, channel: string): Promise<number> {
  return Number(((await redis.pubsub("NUMSUB", channel)) as [string, number])[1]);
}

test("1,000 numbered messages from another publisher all arrive, in order, none missing", async ({
  page,
  redis,
  signInAs,
}) => {
  const run = unique("");
  await signInAs("viewer", "/monitor");
  await watchChannel(page, "data_channel");
  const pipeline = redis.pipeline();
  for (let n = 1; n <= 1_000; n++) pipeline.publish("data_channel", JSON.stringify({ n, run }));
  await pipeline.exec();

  await expect(page.getByTestId("message-count")).toHaveAttribute("data-count", "1000", { timeout: 20_000 });
  // Only the rows on screen are in the page.
  expect(await page.getByTestId("message-row").count()).toBeLessThan(80);
  await expect(page.getByTestId("rate-now"))
    .not.toContainText(" 0 messages/s", { timeout: 3_000 })
    .catch(() => undefined);
  await page.screenshot({ path: "docs/screenshots/monitor.png", fullPage: true });

  const numbers = (await exported(page))
    .filter((m) => m.channel === "data_channel")
    .map((m) => JSON.parse(m.payload.text) as { n: number; run: string })
    .filter((m) => m.run === run)
    .map((m) => m.n);
  expect(numbers).toEqual(Array.from({ length: 1_000 }, (_, i) => i + 1));
});

test("the demo processor's doubled values appear on result_channel", async ({ page, signInAs }) => {
  await signInAs("viewer", "/monitor");
  await watchChannel(page, "data_channel");
  await watchChannel(page, "result_channel");
  const traffic = startTraffic(redisUrl(), { rate: 5 });
  try {
    await expect(
      page.locator('[data-testid="message-row"][data-channel="result_channel"]').first(),
    ).toBeVisible({
      timeout: 15_000,
    });
  } finally {
    await traffic.stop();
  }
  const messages = await exported(page);
  const data = new Map<number, number>();
  for (const m of messages.filter((m) => m.channel === "data_channel")) {
    const { id, value } = JSON.parse(m.payload.text) as { id: number; value: number };
    data.set(id, value);
  }
  const results = messages
    .filter((m) => m.channel === "result_channel")
    .map((m) => JSON.parse(m.payload.text) as { id: number; value: number })
    .filter((r) => data.has(r.id));
  expect(results.length).toBeGreaterThan(0);
  for (const result of results) expect(result.value).toBeCloseTo(2 * data.get(result.id)!, 6);
});

test("pausing keeps counting what arrives, resuming shows it", async ({ page, redis, signInAs }) => {
  const channel = unique("e2e_pause_");
  await signInAs("viewer", "/monitor");
  await watchChannel(page, channel);
  for (let i = 0; i < 3; i++) await redis.publish(channel, `before ${i}`);
  await expect(page.getByTestId("message-count")).toHaveAttribute("data-count", "3");
  const pubsub = page.getByRole("tabpanel", { name: "Pub/sub" });
  await pubsub.getByRole("button", { name: "Pause", exact: true }).click();
  for (let i = 0; i < 5; i++) await redis.publish(channel, `during ${i}`);
  await expect(page.getByTestId("paused-count")).toHaveAttribute("data-count", "5");
  await expect(page.getByTestId("message-row")).toHaveCount(3);
  await pubsub.getByRole("button", { name: "Resume", exact: true }).click();
  await expect(page.getByTestId("message-row")).toHaveCount(8);
});

test("a message that looks like HTML or an SSE frame shows as itself", async ({ page, redis, signInAs }) => {
  const channel = unique("e2e_xss_");
  await signInAs("viewer", "/monitor");
  await watchChannel(page, channel);
  const payload = '<script>window.__pwned = 1</script>\n\ndata: {"fake": "frame"}\n\nevent: end';
  await redis.publish(channel, payload);
  await redis.publish(channel, "after");
  await expect(page.getByTestId("message-count")).toHaveAttribute("data-count", "2");
  await expect(
    page.getByTestId("message-payload").filter({ hasText: "<script>window.__pwned = 1</script>" }),
  ).toHaveCount(1);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await expect(page.getByTestId("live-status")).not.toHaveAttribute("data-status", "ended");
});

test("an operator publishes to every subscriber; closing the page releases the subscription", async ({
  page,
  redis,
  signInAs,
}) => {
  const channel = unique("e2e_publish_");
  const listener = new Redis(redisUrl(), { protocol: 2 });
  const heard: string[] = [];
  listener.on("message", (_channel: string, message: string) => heard.push(message));
  await listener.subscribe(channel);
  try {
    await signInAs("operator", "/monitor");
    await watchChannel(page, channel);
    expect(await numsub(redis, channel)).toBe(2);

    const form = page.getByRole("form", { name: "Publish a message" });
    await form.getByLabel("Publish to channel").fill(channel);
    await form.getByLabel("Payload").fill("hello from the console");
    await form.getByRole("button", { name: "Publish" }).click();
    await expect(page.getByTestId("publish-result")).toHaveAttribute("data-receivers", "2");
    await expect.poll(() => heard).toEqual(["hello from the console"]);
    await expect(page.locator(`[data-testid="message-row"][data-channel="${channel}"]`)).toHaveCount(1);

    await page.close();
    await expect.poll(() => numsub(redis, channel), { timeout: 10_000 }).toBe(1);
  } finally {
    listener.disconnect();
  }
});

test("a viewer sees why publishing and acking are disabled", async ({ page, signInAs }) => {
  await signInAs("viewer", "/monitor");
  const form = page.getByRole("form", { name: "Publish a message" });
  await expect(form.getByRole("button", { name: "Publish" })).toBeDisabled();
  await expect(page.getByTestId("publish-disabled-reason")).toContainText("operator");
});

test("streams: consumer groups show pending and lag, and an operator acks the oldest pending entry", async ({
  page,
  redis,
  signInAs,
}) => {
  await signInAs("operator", "/monitor");
  await page.getByRole("tab", { name: "Streams" }).click();
  await page.locator('[data-testid="stream-row"][data-key="stream:predictions"] button').click();
  const group = page.locator('[data-testid="group-row"][data-name="scorers"]');
  const pendingBefore = Number(((await redis.xpending("stream:predictions", "scorers")) as [number])[0]);
  await expect(group.getByTestId("group-pending")).toContainText(String(pendingBefore));
  await group.getByRole("button", { name: "scorers" }).click();
  await expect(page.getByTestId("consumers-table")).toBeVisible();
  await page.screenshot({ path: "docs/screenshots/monitor-streams.png" });
  await page.getByTestId("ack-oldest").first().click();
  await expect(page.getByTestId("ack-result")).toContainText("Acknowledged 1 of 1 entry");
  expect(Number(((await redis.xpending("stream:predictions", "scorers")) as [number])[0])).toBe(
    pendingBefore - 1,
  );
});

test("signing out ends the live stream and releases its subscriptions", async ({ page, redis, signInAs }) => {
  const channel = unique("e2e_signout_");
  await signInAs("viewer", "/monitor");
  await watchChannel(page, channel);
  expect(await numsub(redis, channel)).toBe(1);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect.poll(() => numsub(redis, channel), { timeout: 10_000 }).toBe(0);
});
