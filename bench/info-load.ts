// How many INFO calls open pages cost Redis: Redis's own count (INFO commandstats, cmdstat_info)
// over a window with 1 and with 20 Overview or Cache pages open in Chromium, each page in a
// browser context of its own, as 20 people would have them. The sampler should read INFO once a
// second per connection whatever the number of pages.
import { chromium, type BrowserContext, type Page } from "@playwright/test";
import { setTimeout as sleep } from "node:timers/promises";
import Redis from "ioredis";
import { parseInfo, parseKeyValueList } from "@/lib/redis/info";

const SECONDS = Number(process.env.BENCH_INFO_SECONDS ?? 30);
/** After the pages loaded, before the window: the sampler and the pages' timers get going. */
const SETTLE_MS = 5_000;
const PAGES = [
  { name: "Overview", path: "/" },
  { name: "Cache", path: "/cache" },
];
const COUNTS = [1, 20];

interface InfoLoadRun {
  page: string;
  pages: number;
  infoPerSecond: number;
  visible: number;
  /** The pages' requests to /api/… during the window, by path, per second. */
  requests: Map<string, number>;
}

/** Lifetime INFO calls; the INFO sent here is counted once it has run, so the next reading includes it. */
async function infoCalls(admin: Redis): Promise<number> {
  const stats = parseInfo(await admin.info("commandstats")).commandstats ?? {};
  return parseKeyValueList(stats.cmdstat_info ?? "calls=0").calls ?? 0;
}

async function openPages(
  browser: Awaited<ReturnType<typeof chromium.launch>>,
  count: number,
  url: string,
  cookie: { name: string; value: string },
): Promise<{ contexts: BrowserContext[]; pages: Page[] }> {
  const contexts: BrowserContext[] = [];
  const pages: Page[] = [];
  for (let i = 0; i < count; i++) {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    contexts.push(context);
    await context.addCookies([{ ...cookie, url }]);
    const page = await context.newPage();
    pages.push(page);
    await page.goto(url, { waitUntil: "load" });
  }
  return { contexts, pages };
}

async function measure(
  browser: Awaited<ReturnType<typeof chromium.launch>>,
  admin: Redis,
  target: { name: string; path: string },
  count: number,
  ctx: { base: string; cookie: string },
): Promise<InfoLoadRun> {
  const at = ctx.cookie.indexOf("=");
  const cookie = { name: ctx.cookie.slice(0, at), value: ctx.cookie.slice(at + 1) };
  const { contexts, pages } = await openPages(browser, count, `${ctx.base}${target.path}`, cookie);
  try {
    await sleep(SETTLE_MS);
    const requests = new Map<string, number>();
    const countRequest = (url: string) => {
      const { pathname } = new URL(url);
      if (pathname.startsWith("/api/")) requests.set(pathname, (requests.get(pathname) ?? 0) + 1);
    };
    for (const context of contexts) context.on("request", (request) => countRequest(request.url()));
    const before = await infoCalls(admin);
    const started = performance.now();
    await sleep(SECONDS * 1_000);
    const after = await infoCalls(admin);
    const seconds = (performance.now() - started) / 1000;
    const visible = (
      await Promise.all(pages.map((page) => page.evaluate(() => document.visibilityState)))
    ).filter((state) => state === "visible").length;
    for (const [name, n] of requests) requests.set(name, n / seconds);
    // `before`'s own INFO is in `after`; `after`'s is not.
    return {
      page: target.name,
      pages: count,
      infoPerSecond: (after - before - 1) / seconds,
      visible,
      requests,
    };
  } finally {
    await Promise.all(contexts.map((context) => context.close()));
  }
}

function requestsText(run: InfoLoadRun): string {
  const list = [...run.requests].sort(([a], [b]) => a.localeCompare(b));
  return list.length
    ? list.map(([name, perSecond]) => `${name} ${perSecond.toFixed(2)}/s`).join(", ")
    : "none";
}

export async function infoLoadBenchmark(ctx: {
  base: string;
  cookie: string;
  redisUrl: string;
}): Promise<string> {
  const heading = `### INFO calls on Redis with open Overview and Cache pages, ${SECONDS} s windows`;
  const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  let browser: Awaited<ReturnType<typeof chromium.launch>>;
  try {
    browser = await chromium.launch({
      executablePath,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
  } catch (error) {
    return `${heading}\n\nNot measured: Chromium did not start from ${executablePath} (${String(error).split("\n")[0]}).`;
  }
  const admin = new Redis(ctx.redisUrl, { protocol: 2, connectionName: "bench:info-load" });
  try {
    const runs: InfoLoadRun[] = [];
    for (const target of PAGES) {
      for (const count of COUNTS) runs.push(await measure(browser, admin, target, count, ctx));
    }
    const rows = PAGES.map((target) => {
      const [one, many] = COUNTS.map((n) => runs.find((r) => r.page === target.name && r.pages === n)!);
      const same = many!.infoPerSecond <= one!.infoPerSecond + 0.1 && many!.infoPerSecond <= 1.1;
      return `| ${target.name} (\`${target.path}\`) | ${one!.infoPerSecond.toFixed(2)} | ${many!.infoPerSecond.toFixed(2)} | the same, ~1/s | ${same ? "yes" : "**no**"} |`;
    });
    return [
      heading,
      "",
      `| page | INFO calls/s, ${COUNTS[0]} page | INFO calls/s, ${COUNTS[1]} pages | target | met? |`,
      "| --- | --- | --- | --- | --- |",
      ...rows,
      "",
      `- Redis's own count: \`cmdstat_info\` calls from INFO commandstats before and after each window, less the bench's own INFO. Each page in its own browser context (its own cookies and connections, as separate people), signed in as admin, left ${SETTLE_MS / 1000} s after loading before the window; the sampler keeps running a while after the pages close, so later windows start with it warm.`,
      ...runs.map(
        (run) =>
          `- ${run.page}, ${run.pages} page${run.pages === 1 ? "" : "s"} (${run.visible} visible): INFO ${run.infoPerSecond.toFixed(2)}/s; the pages' API requests: ${requestsText(run)}.`,
      ),
    ].join("\n");
  } finally {
    admin.disconnect();
    await browser.close();
  }
}
