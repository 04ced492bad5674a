import { parseInfo, parseKeyspace } from "@/lib/redis/info";
import { expect, test } from "@/tests/e2e/fixtures";

const format = (n: number) => new Intl.NumberFormat("en-US").format(n);

test("the overview shows what INFO says about the server", async ({ page, redis, signInAs }) => {
  await signInAs("viewer");
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(page.getByTestId("stat-version")).not.toBeEmpty();

  const info = parseInfo(await redis.info());
  await expect(page.getByTestId("stat-version")).toHaveText(info.server!.redis_version!);
  await expect(page.getByTestId("stat-mode")).toHaveText("standalone");
  await expect(page.getByTestId("stat-maxmemory")).toHaveText("of 256 MB max (noeviction)");
  const hits = Number(info.stats!.keyspace_hits);
  const misses = Number(info.stats!.keyspace_misses);
  await expect(page.getByTestId("stat-hit-ratio")).toHaveText(
    hits + misses === 0 ? "no reads yet" : `${((hits / (hits + misses)) * 100).toFixed(1)}%`,
  );

  // Console state (sessions, sign-in counters) lives in this Redis and comes and goes on its own
  // TTLs, so the page is compared with INFO read at the same moment, until the two agree.
  const expectKeyspaceAsInfoSays = async () => {
    const keyspace = parseKeyspace(parseInfo(await redis.info("keyspace")).keyspace);
    expect(keyspace.map((db) => db.db)).toEqual([0, 1]);
    for (const db of keyspace) {
      const row = page.getByTestId(`keyspace-db${db.db}`);
      await expect(row.getByRole("cell").nth(1)).toHaveText(format(db.keys), { timeout: 1_000 });
      await expect(row.getByRole("cell").nth(2)).toHaveText(format(db.expires), { timeout: 1_000 });
    }
    await expect(page.getByTestId("stat-keys")).toHaveText(
      format(keyspace.reduce((s, db) => s + db.keys, 0)),
      {
        timeout: 1_000,
      },
    );
  };
  await expect(expectKeyspaceAsInfoSays).toPass({ timeout: 20_000 });

  // A new key shows up on the next refresh without reloading the page.
  await redis.select(1);
  await redis.set(`e2e:fresh:${Date.now()}`, "1");
  const db1 = parseKeyspace(parseInfo(await redis.info("keyspace")).keyspace).find((db) => db.db === 1)!;
  await expect(page.getByTestId("keyspace-db1").getByRole("cell").nth(1)).toHaveText(format(db1.keys), {
    timeout: 15_000,
  });

  await page.setViewportSize({ width: 1400, height: 900 });
  await page.screenshot({ path: "docs/screenshots/overview.png", fullPage: true });
});

test("the switcher moves between connections and says plainly when one is down", async ({
  page,
  signInAs,
}) => {
  await signInAs("operator");
  const switcher = page.getByLabel("Connection");
  await expect(switcher).toHaveValue("primary");

  await switcher.selectOption("analytics");
  await expect(page.getByText(/The server behind\s+analytics/)).toBeVisible();
  await expect(page.getByRole("complementary").getByText(/redis:\/\/127\.0\.0\.1:\d+\/1$/)).toBeVisible();

  await switcher.selectOption("offline");
  await expect(page.getByRole("main").getByRole("alert")).toContainText(
    "Connection “offline” is not answering",
  );
  await expect(page.getByRole("main").getByRole("alert")).toContainText("Retrying every 5 s");
  // The rest of the console keeps working while one connection is down.
  await page.getByRole("link", { name: "Settings" }).click();
  await expect(page.getByTestId("connections-table")).toContainText("offline(current)");

  await page.getByLabel("Connection").selectOption("primary");
  await page.getByRole("link", { name: "Overview" }).click();
  await expect(page.getByTestId("stat-mode")).toHaveText("standalone");
});

test("every navigation link leads to a page, none to a dead end", async ({ page, signInAs }) => {
  await signInAs("viewer");
  for (const name of ["Models", "Cache", "Keys", "Monitor", "Settings", "Overview"]) {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name }).click();
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(
      page.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true }),
    ).toHaveAttribute("aria-current", "page");
  }
});
