import { expect, test } from "@/tests/e2e/fixtures";
import { rawRequest } from "@/tests/e2e/raw-http";

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
  const signIn = page.waitForResponse(
    (r) => r.request().method() === "POST" && !!r.request().headers()["next-action"],
  );
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("current-user")).toHaveText("vera");
  expect(violations).toEqual([]);

  // The other security headers are on every answer: the page, the action, an API answer, a static
  // file, and a refusal the front door makes before Next.
  const answers = [
    response!.headers(),
    (await signIn).headers(),
    (await rawRequest({ path: "/api/health" })).headers,
    (await rawRequest({ path: "/icon.svg" })).headers,
    (await rawRequest({ path: "/api/keys/%zz" })).headers,
  ];
  for (const headers of answers) {
    expect(headers).toMatchObject({
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "referrer-policy": "no-referrer",
      "permissions-policy": "camera=(), microphone=(), geolocation=()",
      "cross-origin-opener-policy": "same-origin",
    });
  }
});

test("a small JSON answer goes out as it is, a large one gzipped", async ({ page, signInAs }) => {
  // Raw HTTP, as a probe or a script asks: the health answer is a few hundred bytes.
  const health = await rawRequest({ path: "/api/health", headers: { "Accept-Encoding": "gzip, deflate" } });
  expect(health.headers["content-encoding"]).toBeUndefined();
  expect(health.headers["cache-control"]).toBe("no-store, no-transform");
  expect(JSON.parse(health.text)).toMatchObject({ status: "unavailable", failing: ["offline"] });

  // A page of 100 keys is tens of kilobytes: still compressed, still never cached.
  await signInAs("viewer", "/keys");
  const keys = await page.request.get("/api/keys?limit=100", { headers: { "Accept-Encoding": "gzip" } });
  expect(keys.status()).toBe(200);
  expect(keys.headers()["content-encoding"]).toBe("gzip");
  expect(keys.headers()["cache-control"]).toBe("no-store");
  expect((await keys.json()).data.rows.length).toBeGreaterThan(20);
});
