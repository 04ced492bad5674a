import { expect, test } from "@/tests/e2e/fixtures";

test("the health probe needs no sign-in and names the connection that is down", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(503);
  const body = await response.json();
  expect(body).toMatchObject({ status: "unavailable", failing: ["offline"] });
  expect(body.connections).toEqual([
    expect.objectContaining({ id: "primary", ok: true }),
    expect.objectContaining({ id: "analytics", ok: true }),
    expect.objectContaining({ id: "metrics", ok: true }),
    { id: "offline", ok: false },
  ]);
  const text = JSON.stringify(body);
  expect(text).not.toMatch(/127\.0\.0\.1|redis:\/\/|password/);
});

test("pages carry a nonce-based Content-Security-Policy and the page still works under it", async ({
  page,
}) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  const response = await page.goto("/login");
  const csp = response!.headers()["content-security-policy"]!;
  const scriptSrc = csp.split(";").find((d) => d.trim().startsWith("script-src"))!;
  expect(scriptSrc).toMatch(/'nonce-[A-Za-z0-9+/=]+'/);
  expect(scriptSrc).not.toContain("'unsafe-inline'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(response!.headers()["x-content-type-options"]).toBe("nosniff");

  // Hydration ran (the form signs in through a server action), so no script was blocked.
  await page.getByLabel("Username").fill("vera");
  await page.getByLabel("Password").fill("e2e-viewer-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("current-user")).toHaveText("vera");
  expect(violations).toEqual([]);
});
