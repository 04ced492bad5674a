// How much Redis work open pages cost: Redis's own count (INFO commandstats) over a window with 1
// and with 20 Overview or Cache pages open in Chromium, each page in a browser context of its own,
// as 20 people would have them. The metrics sampler should read INFO once a second per connection,
// and the Cache page's hit-rates (HSCAN) and slow-log (SLOWLOG) readers work at their own pace,
// whatever the number of pages; nor should the pages poll the routes behind them.
import { chromium, type BrowserContext, type Page } from "@playwright/test";
import { setTimeout as sleep } from "node:timers/promises";
import Redis from "ioredis";
import { parseInfo, parseKeyValueList } from "@/lib/redis/info";

const SECONDS = Number(process.env.BENCH_INFO_SECONDS ?? 30);
/** After the pages loaded, before the window: the sampler and the pages' timers get going. */
const SETTLE_MS = 5_000;
/**
 * `ready`: what each page shows once it has drawn its figures, waited for before the window, so a
 * page still opening on a busy machine is not counted as one that polls.
 */
const ALL_PAGES = [
  { name: "Overview", path: "/", ready: [] as string[] },
  {
    name: "Cache",
    path: "/cache",
    ready: [
      '[data-testid="hit-rates-table"], [data-testid="hit-rates-enable"]',
      '[data-testid="slowlog-thresholds"]',
    ],
  },
];
/** BENCH_INFO_PAGES=cache measures only the Cache page (names, comma-separated; default all). */
const PAGES = ALL_PAGES.filter(
  (page) =>
    !process.env.BENCH_INFO_PAGES ||
    process.env.BENCH_INFO_PAGES.split(",").some(
      (name) => name.trim().toLowerCase() === page.name.toLowerCase(),
    ),
);
const COUNTS = [1, 20];

/** The routes the Cache page's feeds replace; a page should ask each at most once, on its first paint. */
const FEED_ROUTES = ["/api/cache/hit-rates", "/api/slowlog"] as const;

interface InfoLoadRun {
  page: string;
  pages: number;
  infoPerSecond: number;
  hscanPerSecond: number;
  slowlogPerSecond: number;
  visible: number;
  /** The pages' requests to /api/… during the window, by path, per second. */
  requests: Map<string, number>;
}

interface CommandCalls {
  info: number;
  hscan: number;
  /** Every SLOWLOG subcommand (`cmdstat_slowlog|get`, `|len` …). */
  slowlog: number;
}

/**
 * Lifetime calls of the commands measured; the INFO sent here is counted once it has run, so the
 * next reading includes it. The bench sends no HSCAN or SLOWLOG of its own.
 */
async function commandCalls(admin: Redis): Promise<CommandCalls> {
  const stats = parseInfo(await admin.info("commandstats")).commandstats ?? {};
  const calls = (name: string) => parseKeyValueList(stats[name] ?? "calls=0").calls ?? 0;
  const slowlog = Object.keys(stats)
    .filter((name) => name === "cmdstat_slowlog" || name.startsWith("cmdstat_slowlog|"))
    .reduce((sum, name) => sum + calls(name), 0);
  return { info: calls("cmdstat_info"), hscan: calls("cmdstat_hscan"), slowlog };
}

async function openPages(
  browser: Awaited<ReturnType<typeof chromium.launch>>,
  count: number,
  url: string,
  cookie: { name: string; value: string },
  ready: string[],
): Promise<{ contexts: BrowserContext[]; pages: Page[] }> {
  const contexts: BrowserContext[] = [];
  const pages: Page[] = [];
  for (let i = 0; i < count; i++) {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    contexts.push(context);
    await context.addCookies([{ ...cookie, url }]);
    const page = await context.newPage();
    pages.push(page);
    // Twenty pages loading on a busy two-core machine can take longer than Playwright's 30 s default.
    await page.goto(url, { waitUntil: "load", timeout: 120_000 });
  }
  for (const page of pages)
    for (const selector of ready) await page.locator(selector).first().waitFor({ timeout: 120_000 });
  return { contexts, pages };
}

async function measure(
  browser: Awaited<ReturnType<typeof chromium.launch>>,
  admin: Redis,
  target: { name: string; path: string; ready: string[] },
  count: number,
  ctx: { base: string; cookie: string },
): Promise<InfoLoadRun> {
  const at = ctx.cookie.indexOf("=");
  const cookie = { name: ctx.cookie.slice(0, at), value: ctx.cookie.slice(at + 1) };
  const { contexts, pages } = await openPages(
    browser,
    count,
    `${ctx.base}${target.path}`,
    cookie,
    target.ready,
  );
  try {
    await sleep(SETTLE_MS);
    const requests = new Map<string, number>();
    const countRequest = (url: string) => {
      const { pathname } = new URL(url);
      if (pathname.startsWith("/api/")) requests.set(pathname, (requests.get(pathname) ?? 0) + 1);
    };
    for (const context of contexts) context.on("request", (request) => countRequest(request.url()));
    const before = await commandCalls(admin);
    const started = performance.now();
    await sleep(SECONDS * 1_000);
    const after = await commandCalls(admin);
    const seconds = (performance.now() - started) / 1000;
    const visible = (
      await Promise.all(pages.map((page) => page.evaluate(() => document.visibilityState)))
    ).filter((state) => state === "visible").length;
    for (const [name, n] of requests) requests.set(name, n / seconds);
    // `before`'s own INFO is in `after`; `after`'s is not.
    return {
      page: target.name,
      pages: count,
      infoPerSecond: (after.info - before.info - 1) / seconds,
      hscanPerSecond: (after.hscan - before.hscan) / seconds,
      slowlogPerSecond: (after.slowlog - before.slowlog) / seconds,
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

/** The Cache page's hit rates and slow log with 1 and 20 pages: Redis work and route requests. */
function cacheFeedRows(runs: InfoLoadRun[]): string[] {
  const [one, many] = COUNTS.map((n) => runs.find((r) => r.page === "Cache" && r.pages === n));
  if (!one || !many) return [];
  // "The same": within what the readers' own pace lets a window vary (a slow-log full read, a
  // slice of older minutes), well under what a second reader would add.
  const row = (name: string, a: number, b: number, target: string, same: boolean) =>
    `| ${name} | ${a.toFixed(2)} | ${b.toFixed(2)} | ${target} | ${same ? "yes" : "**no**"} |`;
  const close = (a: number, b: number) => b <= a * 1.25 + 0.2;
  const asked = (run: InfoLoadRun, route: string) => run.requests.get(route) ?? 0;
  return [
    `| Cache page feeds | ${COUNTS[0]} page | ${COUNTS[1]} pages | target | met? |`,
    "| --- | --- | --- | --- | --- |",
    row(
      "hit rates: HSCAN calls/s",
      one.hscanPerSecond,
      many.hscanPerSecond,
      "the same",
      close(one.hscanPerSecond, many.hscanPerSecond),
    ),
    row(
      "slow log: SLOWLOG calls/s",
      one.slowlogPerSecond,
      many.slowlogPerSecond,
      "the same",
      close(one.slowlogPerSecond, many.slowlogPerSecond),
    ),
    ...FEED_ROUTES.map((route) =>
      row(
        `pages' requests to \`${route}\`/s`,
        asked(one, route),
        asked(many, route),
        "0 (pushed over the live stream)",
        asked(one, route) === 0 && asked(many, route) === 0,
      ),
    ),
  ];
}

export async function infoLoadBenchmark(ctx: {
  base: string;
  cookie: string;
  redisUrl: string;
}): Promise<string> {
  const heading = `### Redis work with open Overview and Cache pages (INFO, hit rates, slow log), ${SECONDS} s windows`;
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
      ...cacheFeedRows(runs),
      "",
      `- Redis's own count: \`cmdstat_info\`, \`cmdstat_hscan\` and every \`cmdstat_slowlog|…\` from INFO commandstats before and after each window, less the bench's own INFO (it sends no HSCAN or SLOWLOG). The Cache page's hit rates (1-hour range) and slow log are read by one reader per connection and pushed over the tab's live stream (lib/cache/hit-rates-feed.ts, lib/slowlog/feed.ts): HSCAN of the newest minutes every 5 s plus a slice of older ones, SLOWLOG GET 1 per node every 2 s and the whole log when it changed or every 30 s. Each page in its own browser context (its own cookies and connections, as separate people), signed in as admin, left ${SETTLE_MS / 1000} s after loading before the window; the sampler keeps running a while after the pages close, so later windows start with it warm.`,
      ...runs.map(
        (run) =>
          `- ${run.page}, ${run.pages} page${run.pages === 1 ? "" : "s"} (${run.visible} visible): INFO ${run.infoPerSecond.toFixed(2)}/s, HSCAN ${run.hscanPerSecond.toFixed(2)}/s, SLOWLOG ${run.slowlogPerSecond.toFixed(2)}/s; the pages' API requests: ${requestsText(run)}.`,
      ),
    ].join("\n");
  } finally {
    admin.disconnect();
    await browser.close();
  }
}
