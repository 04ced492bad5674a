import { toKeyRef } from "@/lib/redis/keys";
import { expect, test } from "@/tests/e2e/fixtures";
import { fillUntilRefused } from "@/tests/helpers/memory";

// Issue 9.8: while Redis refuses writes (maxmemory reached, noeviction), a key delete still goes
// through, and its audit entry must wait on disk, be shown as waiting, and reach the log later.

test("an admin sees a delete's audit entry waiting while Redis is out of memory, then in the log", async ({
  page,
  redis,
  scratchKey,
  signInAs,
}) => {
  const key = scratchKey("e2e:oom:");
  await redis.set(key, "doomed");
  // Signed in before memory runs out: the test is about the change, not the sign-in.
  await signInAs("admin", `/keys/${toKeyRef(Buffer.from(key))}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(key);

  const [, maxmemory] = (await redis.config("GET", "maxmemory")) as string[];
  const [, policy] = (await redis.config("GET", "maxmemory-policy")) as string[];
  const fillerPrefix = `${key}:filler`;
  let fillers = 0;
  try {
    await redis.config("SET", "maxmemory-policy", "noeviction");
    await redis.config("SET", "maxmemory", "1mb");
    fillers = await fillUntilRefused(redis, fillerPrefix);

    await page.getByRole("button", { name: "Delete", exact: true }).click();
    await page
      .getByRole("dialog", { name: "Delete key" })
      .getByRole("button", { name: "Delete key" })
      .click();
    await expect(page.getByRole("main").getByRole("status").first()).toContainText(`Deleted ${key}.`);
    expect(await redis.exists(key)).toBe(0);

    await page.goto("/settings/audit");
    await expect(page.getByTestId("audit-backlog")).toContainText(
      "1 audit entry is waiting: Redis refused writes (out of memory). " +
        "They are kept on disk and will be written in order when Redis accepts writes again.",
    );
    await expect(page.getByTestId("audit-row").filter({ hasText: key })).toHaveCount(0);
  } finally {
    await redis.config("SET", "maxmemory", maxmemory ?? "0");
    await redis.config("SET", "maxmemory-policy", policy ?? "noeviction");
    for (let i = 0; i < fillers; i++) await redis.unlink(`${fillerPrefix}:${i}`);
  }

  // The page looks again while entries wait; the console writes them within a few seconds.
  await expect(page.getByTestId("audit-backlog")).toHaveCount(0, { timeout: 20_000 });
  const row = page.getByTestId("audit-row").filter({ hasText: key });
  await expect(row).toContainText("key.delete");
  await expect(row).toContainText("(late)");
  const [latest] = await redis.xrevrange("__console:audit", "+", "-", "COUNT", 1);
  expect(latest?.[1]).toEqual(expect.arrayContaining(["action", "key.delete", "target", key]));
});
