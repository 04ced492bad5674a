import { expect, signIn, test } from "@/tests/e2e/fixtures";
import { E2E_USERS } from "@/tests/e2e/users";

test("a visitor without a session is sent to sign in, then back to the page asked for", async ({ page }) => {
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/login\?next=%2Fsettings$/);
  await signIn(page, "viewer", "/settings");
  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();
  await expect(page.getByTestId("current-role")).toHaveText("viewer");
});

test("a wrong password is refused with a clear message and lands in the audit log", async ({
  page,
  redis,
  signInAs,
}) => {
  await page.goto("/login");
  await page.getByLabel("Username").fill("ana");
  await page.getByLabel("Password").fill("not-her-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("Wrong username or password.");
  await expect(page).toHaveURL(/\/login/);

  const [latest] = await redis.xrevrange("__console:audit", "+", "-", "COUNT", 1);
  expect(latest?.[1]).toEqual(
    expect.arrayContaining(["action", "auth.sign-in", "user", "ana", "outcome", "failed"]),
  );

  await signInAs("admin", "/settings/audit");
  const row = page
    .getByTestId("audit-row")
    .filter({ hasText: "auth.sign-in" })
    .filter({ hasText: "failed" })
    .first();
  await expect(row).toContainText("ana");
});

test("repeated failures for one user are slowed down", async ({ page }) => {
  await page.goto("/login");
  for (let attempt = 1; attempt <= 6; attempt++) {
    await page.getByLabel("Username").fill("mallory");
    await page.getByLabel("Password").fill(`guess-${attempt}`);
    await page.getByRole("button", { name: "Sign in" }).click();
    const expected =
      attempt <= 5 ? "Wrong username or password." : /Too many failed sign-ins\. Try again in \d+ minutes?\./;
    await expect(page.getByRole("main").getByRole("alert")).toHaveText(expected);
  }
});

test("signing out ends the session", async ({ page }) => {
  await signIn(page, "editor");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);
  const cookies = await page.context().cookies();
  expect(cookies.find((c) => c.name === "console_session")).toBeUndefined();
});

test("the session cookie is httpOnly, SameSite and expires", async ({ page }) => {
  await signIn(page, "operator");
  const session = (await page.context().cookies()).find((c) => c.name === "console_session");
  expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax" });
  expect(session!.expires).toBeGreaterThan(Date.now() / 1000);
  expect(session!.value).not.toContain(E2E_USERS.operator.password);
});
