// The Monitor page in Chromium under 5,000 msg/s for 30 s: long main-thread tasks and JS heap,
// read through the Performance API in the page. Reported as Markdown for bench/RESULTS.md.
import Redis from "ioredis";
import { launchChromium, watchChannel } from "@/bench/harness";

const RATE = Number(process.env.BENCH_BROWSER_RATE ?? 5_000);
const SECONDS = Number(process.env.BENCH_BROWSER_SECONDS ?? 30);
const CHANNEL = "bench_browser";

interface PageStats {
  longTasks: { start: number; duration: number }[];
  heap: number[];
  received: string;
}

async function publishFor(redis: Redis, seconds: number): Promise<number> {
  const perTick = RATE / 100;
  const payload = (n: number) =>
    JSON.stringify({ id: n, ts: Date.now(), value: Math.random(), pad: "x".repeat(120) });
  let sent = 0;
  const end = Date.now() + seconds * 1_000;
  while (Date.now() < end) {
    const tick = Date.now();
    const pipeline = redis.pipeline();
    for (let i = 0; i < perTick; i++) pipeline.publish(CHANNEL, payload(sent++));
    await pipeline.exec();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 10 - (Date.now() - tick))));
  }
  return sent;
}

export async function browserBenchmark(ctx: {
  redisUrl: string;
  base: string;
  password: string;
}): Promise<string> {
  const browser = await launchChromium(["--enable-precise-memory-info"]);
  const redis = new Redis(ctx.redisUrl, { protocol: 2 });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.addInitScript(() => {
      const w = window as unknown as { __longTasks: { start: number; duration: number }[] };
      w.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries())
          w.__longTasks.push({ start: entry.startTime, duration: entry.duration });
      }).observe({ type: "longtask", buffered: true });
    });
    await page.goto(`${ctx.base}/login?next=%2Fmonitor`);
    await page.getByLabel("Username").fill("admin");
    await page.getByLabel("Password").fill(ctx.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await watchChannel(page, CHANNEL);

    const startedAt = await page.evaluate(() => performance.now());
    const heap: number[] = [];
    const sampler = setInterval(() => {
      void page
        .evaluate(
          () =>
            (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0,
        )
        .then((bytes) => heap.push(bytes))
        .catch(() => undefined);
    }, 1_000);
    const sent = await publishFor(redis, SECONDS);
    clearInterval(sampler);
    await page.waitForTimeout(1_000);
    const stats: PageStats = await page.evaluate(() => ({
      longTasks: (window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks,
      heap: [],
      received: document.querySelector('[data-testid="message-count"]')?.textContent ?? "",
    }));
    const afterFirstSecond = stats.longTasks.filter((t) => t.start > startedAt + 1_000);
    const longest = Math.max(0, ...afterFirstSecond.map((t) => t.duration));
    const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
    const heapLine = heap.length
      ? `${mb(heap[0]!)} after 1 s, ${mb(Math.max(...heap))} at most, ${mb(heap[heap.length - 1]!)} at the end`
      : "not available";
    return [
      `### The Monitor page in Chromium, ${RATE.toLocaleString("en-US")} msg/s for ${SECONDS} s`,
      "",
      "| measure | value | target | met? |",
      "| --- | --- | --- | --- |",
      `| Longest main-thread task after the first second | ${longest.toFixed(0)} ms | ≤ 200 ms | ${longest <= 200 ? "yes" : "**no**"} |`,
      `| Long tasks (> 50 ms) after the first second | ${afterFirstSecond.length} | — | |`,
      `| JS heap (usedJSHeapSize) | ${heapLine} | bounded | ${heap.length && Math.max(...heap) < 256 * 2 ** 20 ? "yes" : "check"} |`,
      "",
      `Published ${sent.toLocaleString("en-US")} messages; the page said: “${stats.received.trim()}”.`,
    ].join("\n");
  } finally {
    redis.disconnect();
    await browser.close();
  }
}
