import { randomBytes } from "node:crypto";
import { toKeyRef } from "@/lib/redis/keys";
import { expect, test } from "@/tests/e2e/fixtures";

// Issue 11 on the Monitor and the stream views.

test("the console's own channels are hidden from the active channels unless asked for", async ({
  page,
  redis,
  signInAs,
}) => {
  const id = randomBytes(4).toString("hex");
  const own = `__console:e2e:${id}`;
  const theirs = `e2e_visible_${id}`;
  const subscriber = redis.duplicate();
  try {
    await subscriber.subscribe(own, theirs);
    await signInAs("viewer", "/monitor");
    const rows = page.getByTestId("channel-row");
    await expect(rows.filter({ hasText: theirs })).toHaveCount(1);
    await expect(rows.filter({ hasText: own })).toHaveCount(0);
    await expect(page.getByTestId("channel-count")).toContainText("of the console’s own, hidden");

    await page.getByLabel("Show the console’s own channels").check();
    await expect(rows.filter({ hasText: own })).toHaveCount(1);
    await page.getByLabel("Show the console’s own channels").uncheck();
    await expect(rows.filter({ hasText: own })).toHaveCount(0);
  } finally {
    subscriber.disconnect();
  }
});

test("Tab moves through the Monitor's controls without stepping into the charts", async ({
  page,
  signInAs,
}) => {
  await signInAs("viewer", "/monitor");
  await expect(page.getByTestId("rate-chart")).toBeVisible();
  await page.getByLabel("Show names matching (glob)").focus();
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press("Tab");
    const inChart = await page.evaluate(() => {
      const active = document.activeElement;
      return Boolean(active?.closest(".recharts-wrapper, svg")) || active instanceof SVGElement;
    });
    expect(inChart).toBe(false);
  }
});

test("a stream's entries are a compact newest-first table, a page at a time, below its consumer groups", async ({
  page,
  redis,
  signInAs,
}) => {
  await signInAs("viewer", "/monitor");
  await page.getByRole("tab", { name: "Streams" }).click();
  await page.getByTestId("stream-row").filter({ hasText: "stream:predictions" }).getByRole("button").click();
  const rows = page.getByTestId("entry-row");
  await expect(rows).toHaveCount(25);
  const ids = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-id")!));
  const newest = (await redis.xrevrange("stream:predictions", "+", "-", "COUNT", 1))[0]?.[0];
  expect(ids[0]).toBe(newest);
  const order = (id: string) => id.split("-").map(Number) as [number, number];
  for (let i = 1; i < ids.length; i++) {
    const [a, b] = [order(ids[i - 1]!), order(ids[i]!)];
    expect(a[0] > b[0] || (a[0] === b[0] && a[1] > b[1])).toBe(true);
  }
  // One line per entry, and the groups come before the entries.
  for (const height of await rows.evaluateAll((trs) => trs.map((tr) => tr.getBoundingClientRect().height))) {
    expect(height).toBeLessThan(40);
  }
  const groups = page.getByRole("heading", { name: "Consumer groups" });
  const entries = page.getByRole("heading", { name: "Entries" });
  expect((await groups.boundingBox())!.y).toBeLessThan((await entries.boundingBox())!.y);
  await expect(page.getByTestId("groups-table")).toContainText("scorers");
  // The page holds the tail, the groups and a page of entries: not 7,000 px.
  expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThan(3_000);

  await page.getByRole("button", { name: "Older" }).click();
  await expect(page.getByTestId("entries-progress")).toContainText("Page 2");
  // The label moves at the click; the rows once the older page has arrived. It starts below page 1.
  await expect(rows.first()).not.toHaveAttribute("data-id", ids[0]!);
  const [older, last] = [order((await rows.first().getAttribute("data-id"))!), order(ids.at(-1)!)];
  expect(older[0] < last[0] || (older[0] === last[0] && older[1] < last[1])).toBe(true);
});

test("the Keys view of a stream starts at the newest entry, with a switch to the oldest", async ({
  page,
  redis,
  signInAs,
}) => {
  const newest = (await redis.xrevrange("stream:predictions", "+", "-", "COUNT", 1))[0]?.[0];
  const oldest = (await redis.xrange("stream:predictions", "-", "+", "COUNT", 1))[0]?.[0];
  await signInAs("viewer", `/keys/${toKeyRef("stream:predictions")}`);
  const rows = page.getByTestId("reader-row");
  await expect(rows.first()).toHaveAttribute("data-id", newest!);
  await page.getByRole("button", { name: "Oldest first" }).click();
  await expect(rows.first()).toHaveAttribute("data-id", oldest!);
  await page.getByRole("button", { name: "Newest first" }).click();
  await expect(rows.first()).toHaveAttribute("data-id", newest!);
});
