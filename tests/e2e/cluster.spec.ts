import type { Browser, Page } from "@playwright/test";
import en from "@/lib/i18n/messages/en.json";
import zh from "@/lib/i18n/messages/zh-CN.json";
import { spawn } from "node:child_process";
import { freePort } from "@/scripts/lib/redis-server";
import { expect, signIn, test } from "@/tests/e2e/fixtures";
import { startTestCluster } from "@/tests/helpers/cluster";
import { monitorCommands } from "@/tests/helpers/monitor";
import { untranslatedText } from "@/tests/e2e/untranslated";
import { E2E_USERS } from "@/tests/e2e/users";

// Issue 16: the Cluster page. The e2e console serves standalone servers, so here the page shows
// its one shard; the cluster itself (three masters with replicas, a skewed hash tag named as the
// cause, replica lag, hot keys) is proven against a real local cluster in
// tests/integration/cluster-view.test.ts, which starting a cluster for every e2e run would slow.

/** Commands that change data, as MONITOR prints them (lower-cased by us). */
const WRITES =
  /^(set|setex|psetex|mset|del|unlink|expire|pexpire|persist|hset|hdel|lpush|rpush|sadd|zadd|xadd|rename|flushdb|flushall|config|copy|incr)$/;

function monitoredWrites(lines: string[]): string[] {
  return lines.filter((line) => {
    const [name, key] = line.split(" ");
    return WRITES.test(name ?? "") && !(key ?? "").startsWith("__console:");
  });
}

test("a viewer sees the server as one shard, its balance, and how to find hot keys, and changes nothing", async ({
  page,
  redis,
  signInAs,
}) => {
  const seen: string[] = [];
  const monitor = await monitorCommands(Number(process.env.E2E_REDIS_PORT), ({ args }) =>
    seen.push(args.join(" ").toLowerCase()),
  );
  try {
    await signInAs("viewer", "/cluster");
    await expect(page.getByRole("heading", { level: 1, name: en.cluster.title })).toBeVisible();
    await expect(
      page
        .getByRole("navigation", { name: en.shell.mainNav })
        .getByRole("link", { name: en.shell.nav.cluster }),
    ).toHaveAttribute("aria-current", "page");
    await expect(page.getByTestId("cluster-panel")).toHaveAttribute("data-mode", "standalone");
    await expect(page.getByTestId("cluster-verdict")).toHaveAttribute("data-verdict", "single");
    await expect(page.getByTestId("cluster-verdict-text")).toHaveText(en.cluster.verdict.single);
    await expect(page.getByTestId("topology-shard")).toHaveCount(1);
    await expect(page.getByTestId("topology-node").first()).toHaveAttribute("data-role", "master");
    // The keys column reads what the server holds, in every database (the seed data and console state).
    const row = page.getByTestId("shard-figures");
    await expect(row).toHaveAttribute("data-keys", /\d+/);
    const held = async () =>
      [...(await redis.info("keyspace")).matchAll(/keys=(\d+)/g)].reduce((sum, [, n]) => sum + Number(n), 0);
    await expect
      .poll(async () => Number(await row.getAttribute("data-keys")) - (await held()), { timeout: 10_000 })
      .toBe(0);
    // The e2e Redis evicts nothing: the page says how to see hot keys rather than showing none.
    await expect(page.getByTestId("cluster-hot-keys")).toHaveAttribute("data-lfu", "false");
    await expect(page.getByTestId("cluster-hot-keys")).toContainText("maxmemory-policy allkeys-lfu");
    // Nothing to change: the only buttons in the page are the window's.
    const buttons = page.getByRole("main").getByRole("button");
    await expect(buttons).toHaveText(["1m", "15m", "1h"]);
    await buttons.filter({ hasText: "15m" }).click();
    await expect(buttons.filter({ hasText: "15m" })).toHaveAttribute("aria-pressed", "true");
    await page.screenshot({ path: test.info().outputPath("cluster-1280.png"), fullPage: true });
  } finally {
    monitor.stop();
  }
  expect(monitoredWrites(seen)).toEqual([]);
});

async function phone(browser: Browser, locale: string): Promise<Page> {
  const context = await browser.newContext({ locale, viewport: { width: 390, height: 844 } });
  return context.newPage();
}

test("on a phone the page fits its width: tables scroll inside their cards", async ({ browser }) => {
  const page = await phone(browser, "en-US");
  try {
    const viewer = E2E_USERS.viewer;
    await page.goto("/login?next=/cluster");
    await page.getByLabel("Username").fill(viewer.username);
    await page.getByLabel("Password").fill(viewer.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("cluster-verdict")).toBeVisible();
    await expect(page.getByTestId("cluster-figures")).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: test.info().outputPath("cluster-390.png"), fullPage: true });
  } finally {
    await page.context().close();
  }
});

test("in Chinese every word of the page is Chinese; the data stays as it is", async ({ browser }) => {
  for (const width of [1280, 390]) {
    const context = await browser.newContext({ locale: "zh-CN", viewport: { width, height: 900 } });
    const page = await context.newPage();
    try {
      const li = E2E_USERS.chinese;
      await page.goto("/login?next=/cluster");
      await page.getByLabel(zh.auth.username).fill(li.username);
      await page.getByLabel(zh.auth.password).fill(li.password);
      await page.getByLabel(zh.auth.password).press("Enter");
      await expect(page.getByRole("heading", { level: 1, name: zh.cluster.title })).toBeVisible();
      await expect(page.getByTestId("cluster-verdict-text")).toHaveText(zh.cluster.verdict.single);
      await expect(page.getByTestId("shard-figures")).toHaveAttribute("data-keys", /\d+/);
      expect(await untranslatedText(page)).toEqual([]);
      await page.screenshot({ path: test.info().outputPath(`cluster-zh-${width}.png`), fullPage: true });
    } finally {
      await context.close();
    }
  }
});

test("against a real three-master cluster, a hash-tagged data set shows the skewed shard and its tag", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { servers, client } = await startTestCluster();
  const port = await freePort();
  // Its own console process (the suite's users, only this connection), stopped with the cluster.
  const serving = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=react-server", "tests/e2e/serve-one.ts"],
    {
      env: {
        ...process.env,
        E2E_ONE_PORT: String(port),
        E2E_ONE_CONNECTIONS: JSON.stringify([
          {
            id: "ml-cluster",
            name: "ml-cluster",
            type: "cluster",
            nodes: servers.map((server) => ({ host: "127.0.0.1", port: server.port })),
          },
        ]),
      },
      stdio: "ignore",
    },
  );
  const context = await browser.newContext({ baseURL: `http://127.0.0.1:${port}` });
  try {
    // 3,000 keys pinned to one slot by their hash tag, and 300 spread over every shard.
    for (let from = 0; from < 3_000; from += 500) {
      const pairs: string[] = [];
      for (let i = from; i < from + 500; i++) pairs.push(`{tenant:7}:embedding:${i}`, "x".repeat(64));
      await client.mset(...pairs);
    }
    await Promise.all(Array.from({ length: 300 }, (_, i) => client.set(`result:${i}`, String(i * i))));
    const tagged = await client.cluster("KEYSLOT", "{tenant:7}");

    await expect
      .poll(async () => (await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => null))?.status, {
        timeout: 30_000,
      })
      .toBe(200);
    const page = await context.newPage();
    await signIn(page, "viewer", "/cluster");
    await expect(page.getByTestId("cluster-panel")).toHaveAttribute("data-mode", "cluster");
    await expect(page.getByTestId("topology-shard")).toHaveCount(3);
    // The sampler's first seconds of INFO per node judge the balance; the cause names the tag.
    const verdict = page.getByTestId("cluster-verdict");
    await expect(verdict).toHaveAttribute("data-verdict", "skewed", { timeout: 30_000 });
    await expect(page.getByTestId("cluster-cause-summary")).toHaveAttribute("data-tag", "tenant:7", {
      timeout: 30_000,
    });
    await expect(page.getByTestId("cluster-cause-summary")).toContainText("{tenant:7}");
    // The cause is the tag's own slot, on the shard the verdict names.
    await expect(page.getByTestId("cluster-cause-summary")).toContainText(`${tagged}`);
    const shard = await verdict.getAttribute("data-shard");
    await expect(page.locator(`[data-testid="shard-figures"][data-shard="${shard}"]`)).toBeVisible();
  } finally {
    await context.close();
    serving.kill("SIGTERM");
    client.disconnect();
    await Promise.all(servers.map((server) => server.stop()));
  }
});
