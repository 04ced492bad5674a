// The keys page in Chromium on the seeded keyspace (issue 15): from navigation start to the list's
// first page on screen, N navigations after one sign-in, beside what the page's first-page request
// to /api/keys costs on its own in the same browser. Reported as Markdown for bench/RESULTS.md.
import type { Page } from "@playwright/test";
import { launchChromium, percentile } from "@/bench/harness";
import { KEY_LIST_PAGE } from "@/lib/validation/key-list-page";

const RUNS = Number(process.env.BENCH_KEYSPAGE_RUNS ?? 20);
const WARMUP = 3;
/** Rows the scroller shows at the bench's viewport: the table is virtualized, so the DOM holds these, not 100. */
const ROWS_ON_SCREEN = 10;

/**
 * Installed before the page's own scripts in every document: notes, at the first animation frame
 * where the table says it holds a full first page and its first rows have a size on screen, how
 * long after navigation start that was. A frame callback runs just before that frame is painted.
 * A string, so the bundler's helpers stay out of the page.
 */
const RECORD_ROWS_VISIBLE = String.raw`
  window.__rowsVisibleAt = 0;
  const check = () => {
    const table = document.querySelector('[role="table"][aria-rowcount]');
    const rows = document.querySelectorAll('[data-testid="key-row"]');
    if (
      table && Number(table.getAttribute("aria-rowcount")) > ${KEY_LIST_PAGE} &&
      rows.length >= ${ROWS_ON_SCREEN} && rows[0].getBoundingClientRect().height > 0
    ) {
      window.__rowsVisibleAt = performance.now();
      return;
    }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
`;

interface Visit {
  rowsVisible: number;
  /** Navigation timing: the HTML's first byte and its last. */
  firstByte: number;
  htmlDone: number;
  /** Requests the page sent to /api/keys while loading (0: the first page came with the HTML). */
  keysRequests: number;
}

async function visitKeys(page: Page, base: string): Promise<Visit> {
  let keysRequests = 0;
  const count = (request: { url: () => string }) => {
    if (new URL(request.url()).pathname === "/api/keys") keysRequests += 1;
  };
  page.on("request", count);
  try {
    await page.goto(`${base}/keys`, { waitUntil: "commit" });
    // Waits in the page (a string: the page's CSP refuses waitForFunction's eval).
    const timing = await page.evaluate(`new Promise((resolve) => {
      const done = () => {
        if (!window.__rowsVisibleAt) return requestAnimationFrame(done);
        // Let a refetch the page should not make show itself before the requests are counted.
        setTimeout(() => {
          const nav = performance.getEntriesByType("navigation")[0];
          resolve({ rowsVisible: window.__rowsVisibleAt, firstByte: nav.responseStart, htmlDone: nav.responseEnd });
        }, 200);
      };
      done();
    })`);
    return { ...(timing as Omit<Visit, "keysRequests">), keysRequests };
  } finally {
    page.off("request", count);
  }
}

/** The first-page request the browser would send, timed in the page (same cookie, same connection pool). */
async function timeFirstPageRequest(page: Page, runs: number): Promise<number[]> {
  return (await page.evaluate(`(async () => {
    const samples = [];
    for (let i = 0; i < ${runs + WARMUP}; i++) {
      const started = performance.now();
      const response = await fetch("/api/keys?limit=${KEY_LIST_PAGE}", { headers: { Accept: "application/json" } });
      if (!(await response.json()).ok) throw new Error("/api/keys answered " + response.status);
      if (i >= ${WARMUP}) samples.push(performance.now() - started);
    }
    return samples;
  })()`)) as number[];
}

const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
const ms = (value: number) => `${value.toFixed(0)} ms`;

export async function keysPageBenchmark(ctx: {
  base: string;
  password: string;
  dbSize: number;
}): Promise<string> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.addInitScript(RECORD_ROWS_VISIBLE);
    await page.goto(`${ctx.base}/login?next=%2Fkeys`);
    await page.getByLabel("Username").fill("admin");
    await page.getByLabel("Password").fill(ctx.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname === "/keys");

    const visits: Visit[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const visit = await visitKeys(page, ctx.base);
      if (i >= WARMUP) visits.push(visit);
    }
    const api = sorted(await timeFirstPageRequest(page, RUNS));
    const visible = sorted(visits.map((v) => v.rowsVisible));
    const firstByte = sorted(visits.map((v) => v.firstByte));
    const htmlDone = sorted(visits.map((v) => v.htmlDone));
    const extraRequests = visits.reduce((sum, v) => sum + v.keysRequests, 0);
    const p50 = percentile(visible, 0.5);
    return [
      `### The keys page in Chromium, ${ctx.dbSize.toLocaleString("en-US")} keys`,
      "",
      "| measure | p50 | p95 | target | met? |",
      "| --- | --- | --- | --- | --- |",
      `| Navigation → first ${KEY_LIST_PAGE} rows on screen | ${ms(p50)} | ${ms(percentile(visible, 0.95))} | < 300 ms p50 | ${p50 < 300 ? "yes" : "**no**"} |`,
      `| Navigation → the HTML's first byte | ${ms(percentile(firstByte, 0.5))} | ${ms(percentile(firstByte, 0.95))} | — | |`,
      `| Navigation → the HTML's last byte | ${ms(percentile(htmlDone, 0.5))} | ${ms(percentile(htmlDone, 0.95))} | — | |`,
      `| Floor: the first-page request alone (\`/api/keys?limit=${KEY_LIST_PAGE}\` from the page) | ${ms(percentile(api, 0.5))} | ${ms(percentile(api, 0.95))} | — | |`,
      "",
      `${RUNS} navigations to \`/keys\` after ${WARMUP} not counted, signed in once; the browser keeps its cached scripts, as a returning user's does. "On screen": the first animation frame in which the table holds a full first page (aria-rowcount) and its first ${ROWS_ON_SCREEN} rows (the virtualized table's view) have a size. Requests to \`/api/keys\` while the page loaded: ${extraRequests} in ${RUNS} visits (0: the first page came with the HTML).`,
    ].join("\n");
  } finally {
    await browser.close();
  }
}
