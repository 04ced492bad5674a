import { randomBytes } from "node:crypto";
import { expect, test } from "@/tests/e2e/fixtures";

test("a viewer sees a slow command in the Cache page's slow log", async ({
  page,
  redis,
  scratchKey,
  signInAs,
}) => {
  const [, before = "10000"] = (await redis.config("GET", "slowlog-log-slower-than")) as string[];
  const key = scratchKey("e2e:slowlog:");
  const value = `slow-${randomBytes(6).toString("hex")}`;
  const clientName = `e2e-slowlog-${randomBytes(3).toString("hex")}`;
  await redis.client("SETNAME", clientName);
  try {
    // Log every command only for this one, so the console's own traffic cannot push it out.
    await redis.config("SET", "slowlog-log-slower-than", "0");
    await redis.set(key, value);
  } finally {
    await redis.config("SET", "slowlog-log-slower-than", before);
  }

  await signInAs("viewer", "/cache");
  const card = page.locator("section").filter({ has: page.getByRole("heading", { name: "Slow log" }) });
  await expect(card.getByTestId("slowlog-thresholds")).toContainText(
    Number(before) < 0 ? "off" : Number(before) === 0 ? "Every command" : "are logged",
  );
  const table = page.getByRole("table", { name: "Slow log" });
  const row = table.getByTestId("slowlog-row").filter({ hasText: value });
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId("slowlog-command")).toHaveText(`set ${key} ${value}`);
  await expect(row.getByTestId("slowlog-command")).toHaveAttribute("title", `set ${key} ${value}`);
  await expect(row).toContainText(clientName);
  await expect(row.getByTestId("slowlog-duration")).toHaveText(/^[\d.,]+ (µs|ms|s)$/);
});

test("a command logged while the Cache page is open appears without the page asking again", async ({
  page,
  redis,
  scratchKey,
  signInAs,
}) => {
  const asked: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname === "/api/slowlog") asked.push(request.url());
  });
  await signInAs("viewer", "/cache");
  const card = page.locator("section").filter({ has: page.getByRole("heading", { name: "Slow log" }) });
  await expect(card.getByTestId("slowlog-thresholds")).toBeVisible();
  const before = asked.length;

  const [, threshold = "10000"] = (await redis.config("GET", "slowlog-log-slower-than")) as string[];
  const key = scratchKey("e2e:slowlog:");
  const value = `later-${randomBytes(6).toString("hex")}`;
  try {
    await redis.config("SET", "slowlog-log-slower-than", "0");
    await redis.set(key, value);
  } finally {
    await redis.config("SET", "slowlog-log-slower-than", threshold);
  }
  const row = page
    .getByRole("table", { name: "Slow log" })
    .getByTestId("slowlog-row")
    .filter({ hasText: value });
  await expect(row.getByTestId("slowlog-command")).toHaveText(`set ${key} ${value}`, { timeout: 15_000 });
  expect(asked.length).toBe(before);
});
