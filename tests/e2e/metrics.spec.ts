import Redis from "ioredis";
import { expect, test } from "@/tests/e2e/fixtures";

// The "metrics" connection is a redis-server of its own (tests/e2e/serve.ts) that nothing but this
// test reads keys from, so its keyspace counters are exactly the traffic generated here.

/** Reads spread over a few seconds in `batches`, so the chart draws a line, not a single dot. */
async function lookups(redis: Redis, hits: number, misses: number, batches = 4): Promise<void> {
  for (let batch = 0; batch < batches; batch++) {
    const pipeline = redis.pipeline();
    for (let i = 0; i < hits / batches; i++) pipeline.get(`cached:${i % 10}`);
    for (let i = 0; i < misses / batches; i++) pipeline.get(`absent:${i}`);
    await pipeline.exec();
    await new Promise((resolve) => setTimeout(resolve, 600));
  }
}

test("the hit-rate chart shows the ratio of the traffic the test generated, streamed or polled", async ({
  page,
  signInAs,
}) => {
  const redis = new Redis(Number(process.env.E2E_METRICS_REDIS_PORT), "127.0.0.1", { protocol: 2 });
  try {
    // Writes are not keyspace reads: this does not move the hit rate.
    await redis.mset(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`cached:${i}`, String(i)])));

    // First with the live stream refused, as behind a proxy that does not pass SSE: the page polls.
    // The stream is fetched by the browser's live worker, not by the page. Playwright does not see
    // a SharedWorker's requests, so this browser has none: the leader tab's dedicated worker
    // holds the stream, and the context's route refuses it.
    await page.context().addInitScript(() => {
      (window as unknown as { SharedWorker?: unknown }).SharedWorker = undefined;
    });
    const stream = /\/api\/live(\?.*)?$/;
    await page.context().route(stream, (route) => route.abort());
    await signInAs("viewer");
    await page.getByLabel("Connection").selectOption("metrics");
    await expect(page.getByText(/The server behind\s+metrics/)).toBeVisible();
    const charts = page.getByTestId("metrics-charts");
    await expect(charts.getByTestId("metrics-source")).toContainText("polling every 1 s");
    // Two samples make a step: from then on, every read lands inside the window.
    await expect(charts.getByTestId("chart-ops-now")).toHaveText(/now \d/, { timeout: 15_000 });
    await expect(charts.getByTestId("hit-rate-window")).toHaveText("no reads");

    await lookups(redis, 300, 100);
    const chart = charts.getByTestId("chart-hitRate-now");
    await expect(chart).toHaveText("last 1 minute: 75.0% (300 hits, 100 misses)");
    await expect(charts.getByTestId("metrics-source")).toContainText("polling every 1 s");

    // Then live over the page's one stream: the same window, and new reads arrive without a poll.
    await page.context().unroute(stream);
    await page.reload();
    await expect(charts.getByTestId("metrics-source")).toContainText("live over this page's stream");
    await expect(chart).toHaveText("last 1 minute: 75.0% (300 hits, 100 misses)");
    await lookups(redis, 0, 200);
    await expect(chart).toHaveText("last 1 minute: 50.0% (300 hits, 300 misses)");

    // The longer ranges add up the same reads.
    await charts.getByRole("button", { name: "15m" }).click();
    await expect(chart).toHaveText("last 15 minutes: 50.0% (300 hits, 300 misses)", { timeout: 15_000 });
    await charts.getByRole("button", { name: "1m" }).click();
    await page.screenshot({ path: "docs/screenshots/hit-rate.png", fullPage: true });
  } finally {
    redis.disconnect();
  }
});
