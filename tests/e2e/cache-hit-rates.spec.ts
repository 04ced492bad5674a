import { randomBytes } from "node:crypto";
import { epochMinute, hitCounterField, hitCounterKey } from "@/lib/cache/hit-counter";
import { expect, test } from "@/tests/e2e/fixtures";

// The Cache page's hit rate by namespace comes over the tab's live stream (lib/cache/hit-rates-feed):
// new lookups show up without the page asking GET /api/cache/hit-rates again, and so does another range.

test("the hit rates by namespace follow new lookups over the live stream, in every range", async ({
  page,
  redis,
  signInAs,
}) => {
  const namespace = `e2e-hits-${randomBytes(3).toString("hex")}`;
  const written: string[] = [];
  // Counts large enough to be among the busiest namespaces the card lists, whatever else is counted.
  const count = async (outcome: "hit" | "miss", n: number) => {
    const key = hitCounterKey(epochMinute(Date.now()));
    written.push(key);
    await redis.hincrby(key, hitCounterField(namespace, outcome), n);
  };
  const asked: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname === "/api/cache/hit-rates") asked.push(request.url());
  });
  try {
    await count("hit", 3_000_000);
    await count("miss", 1_000_000);
    await signInAs("viewer", "/cache");
    const card = page.getByTestId("namespace-hit-rates");
    const row = card.getByTestId("hit-rate-row").filter({ hasText: namespace });
    await expect(row.getByTestId("hit-rate-value")).toHaveText("75.0%");

    const before = asked.length;
    await count("hit", 4_000_000);
    await expect(row.getByTestId("hit-rate-value")).toHaveText("87.5%", { timeout: 15_000 });
    await card.getByRole("button", { name: "24h" }).click();
    await expect(card).toContainText("Hit rate by namespace, last 24 hours");
    await expect(row.getByTestId("hit-rate-value")).toHaveText("87.5%");
    await expect(row).toContainText("7,000,000");
    expect(asked.length).toBe(before);
  } finally {
    for (const key of new Set(written))
      await redis.hdel(key, hitCounterField(namespace, "hit"), hitCounterField(namespace, "miss"));
  }
});
