// Twelve Monitor tabs in one browser, each watching its own channel, under a steady publish rate:
// per-tab delivery latency (publish → the tab's main thread has the batch) and long main-thread
// tasks, with the browser's one shared stream (issue 10). Reported as Markdown for RESULTS.md.
import type { Page } from "@playwright/test";
import Redis from "ioredis";
import { launchChromium, percentile, watchChannel } from "@/bench/harness";

const TABS = Number(process.env.BENCH_TABS ?? 12);
const RATE = Number(process.env.BENCH_TABS_RATE ?? 1_000);
const SECONDS = Number(process.env.BENCH_TABS_SECONDS ?? 20);

/**
 * Installed before the page's scripts: notes, for every message a batch brings, how late it is,
 * and the long main-thread tasks. A string, so the bundler's helpers stay out of the page.
 */
const RECORD_LATENCY = String.raw`
  window.__latency = [];
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__longTasks.push(entry.duration);
  }).observe({ type: "longtask", buffered: true });
  const add = MessagePort.prototype.addEventListener;
  MessagePort.prototype.addEventListener = function (type, listener, options) {
    if (type === "message") {
      add.call(this, "message", (event) => {
        const message = event.data;
        if (!message || message.type !== "event" || message.event !== "batch") return;
        const now = Date.now();
        for (const item of JSON.parse(message.data).messages) {
          const ts = Number(/"ts":(\d+)/.exec(item.payload.text || "")?.[1]);
          if (ts) window.__latency.push(now - ts);
        }
      });
    }
    return add.call(this, type, listener, options);
  };
`;

async function publishFor(redis: Redis, channels: string[], seconds: number): Promise<number> {
  const perTick = Math.max(1, Math.round(RATE / 100));
  let sent = 0;
  const end = Date.now() + seconds * 1_000;
  while (Date.now() < end) {
    const tick = Date.now();
    const pipeline = redis.pipeline();
    for (let i = 0; i < perTick; i++) {
      pipeline.publish(channels[sent % channels.length]!, JSON.stringify({ id: sent, ts: Date.now() }));
      sent += 1;
    }
    await pipeline.exec();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 10 - (Date.now() - tick))));
  }
  return sent;
}

/**
 * What a background tab reports. Headless Chromium has no background tabs (every page is a window
 * in front), so the bench sets what the page reads, as a tab behind another one reports it; the
 * browser's own throttling of background tabs, which would only lower their work, is not emulated.
 */
function sendToBackground(page: Page, hidden: boolean): Promise<void> {
  // A string, so the bundler's helpers stay out of the page.
  return page.evaluate(`
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => ${hidden ? '"hidden"' : '"visible"'} });
    Object.defineProperty(document, "hidden", { configurable: true, get: () => ${hidden} });
    document.dispatchEvent(new Event("visibilitychange"));
  `);
}

interface Run {
  title: string;
  sent: number;
  rows: string[];
  received: number;
  worstP99: number;
  worstTask: number;
}

async function measure(redis: Redis, pages: Page[], channels: string[], title: string): Promise<Run> {
  for (const page of pages) {
    await page.evaluate(() => {
      const w = window as unknown as { __latency: number[]; __longTasks: number[] };
      w.__latency = [];
      w.__longTasks = [];
    });
  }
  const sent = await publishFor(redis, channels, SECONDS);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const run: Run = { title, sent, rows: [], received: 0, worstP99: 0, worstTask: 0 };
  for (const [i, page] of pages.entries()) {
    const { latency, longTasks, hidden } = await page.evaluate(() => {
      const w = window as unknown as { __latency: number[]; __longTasks: number[] };
      return { latency: w.__latency, longTasks: w.__longTasks, hidden: document.hidden };
    });
    const sorted = [...latency].sort((a, b) => a - b);
    const p50 = percentile(sorted, 0.5);
    const p99 = percentile(sorted, 0.99);
    const task = Math.max(0, ...longTasks);
    run.worstP99 = Math.max(run.worstP99, p99);
    run.worstTask = Math.max(run.worstTask, task);
    run.received += latency.length;
    run.rows.push(
      `| tab ${i + 1}${hidden ? " (background)" : ""} | ${latency.length.toLocaleString("en-US")} | ${p50} ms | ${p99} ms | ${task.toFixed(0)} ms |`,
    );
  }
  return run;
}

function report(run: Run): string[] {
  return [
    `#### ${run.title}`,
    "",
    `Published ${run.sent.toLocaleString("en-US")} messages over ${TABS} channels (one per tab); the tabs received ${run.received.toLocaleString("en-US")}.`,
    "",
    "| tab | messages | latency p50 | latency p99 | longest main-thread task |",
    "| --- | --- | --- | --- | --- |",
    ...run.rows,
    "",
    `Worst tab: latency p99 ${run.worstP99} ms (target < 150 ms: ${run.worstP99 < 150 ? "met" : "**not met**"}), longest task ${run.worstTask.toFixed(0)} ms (target ≤ 200 ms: ${run.worstTask <= 200 ? "met" : "**not met**"}).`,
    "",
  ];
}

export async function tabsBenchmark(ctx: {
  redisUrl: string;
  base: string;
  password: string;
}): Promise<string> {
  const browser = await launchChromium();
  const redis = new Redis(ctx.redisUrl, { protocol: 2 });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript(RECORD_LATENCY);
    const pages: Page[] = [];
    const channels: string[] = [];
    for (let i = 0; i < TABS; i++) {
      const page = await context.newPage();
      if (i === 0) {
        await page.goto(`${ctx.base}/login?next=%2Fmonitor`);
        await page.getByLabel("Username").fill("admin");
        await page.getByLabel("Password").fill(ctx.password);
        await page.getByRole("button", { name: "Sign in" }).click();
      } else {
        await page.goto(`${ctx.base}/monitor`);
      }
      const channel = `bench_tab_${i}`;
      await watchChannel(page, channel);
      pages.push(page);
      channels.push(channel);
    }
    // As tabs of one window: the last one opened in front, the others behind it.
    for (const page of pages.slice(0, -1)) await sendToBackground(page, true);
    const tabbed = await measure(
      redis,
      pages,
      channels,
      `As tabs of one window: tab ${TABS} in front, ${TABS - 1} in the background`,
    );
    // Every background tab kept what arrived: brought to the front, it shows all of it at once.
    const shown: number[] = [];
    for (const page of pages.slice(0, -1)) {
      await sendToBackground(page, false);
      await page
        .waitForFunction(
          `Number(document.querySelector('[data-testid="message-count"]')?.getAttribute("data-count")) === window.__latency.length`,
          undefined,
          { timeout: 5_000 },
        )
        .catch(() => undefined);
      shown.push(Number(await page.getByTestId("message-count").getAttribute("data-count")));
    }
    // Twelve windows side by side, every page drawing: the worst case for two cores.
    const windows = await measure(
      redis,
      pages,
      channels,
      `${TABS} windows side by side, every page in view and drawing`,
    );
    const streams = await pages[0]!.evaluate(
      async () => (await (await fetch("/api/live/streams")).json()).data,
    );
    return [
      `### ${TABS} Monitor tabs in one browser, ${RATE.toLocaleString("en-US")} msg/s in all for ${SECONDS} s each`,
      "",
      `The server held ${streams.streams} stream(s) with ${streams.tabs} tab channels for this browser. Brought to the front after the first run, the background tabs showed ${shown.join(", ")} messages (held while hidden, drawn at once).`,
      "",
      ...report(tabbed),
      ...report(windows),
    ].join("\n");
  } finally {
    redis.disconnect();
    await browser.close();
  }
}
