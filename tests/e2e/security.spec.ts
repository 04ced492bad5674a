import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import http from "node:http";
import type { Page } from "@playwright/test";
import { toKeyRef } from "@/lib/redis/keys";
import { expect, signIn, test } from "@/tests/e2e/fixtures";
import { actionResult, baseOrigin, callActionRaw, rawRequest, serverAction } from "@/tests/e2e/raw-http";
import { E2E_USERS } from "@/tests/e2e/users";

// Issue 9's reproductions, made the way the attacker made them: raw HTTP with the headers named,
// a captured cookie replayed, and what Redis holds checked with a client of the test's own.

async function sessionCookie(page: Page): Promise<string> {
  const cookie = (await page.context().cookies()).find((c) => c.name === "console_session");
  expect(cookie, "signed in").toBeDefined();
  return `console_session=${cookie!.value}`;
}

async function latestAudit(redis: import("ioredis").default, count = 20): Promise<Record<string, string>[]> {
  const rows = await redis.xrevrange("__console:audit", "+", "-", "COUNT", count);
  return rows.map(([, flat]) =>
    Object.fromEntries(flat.flatMap((v, i) => (i % 2 ? [] : [[v, flat[i + 1]!]]))),
  );
}

const deleteKey = () => serverAction("lib/actions/keys.ts", "deleteKeyAction");

// Refusals are audited at most 20 a minute per address, and the permissions spec makes far more
// from 127.0.0.1; tests that read refusals back send theirs from addresses of their own.
const CSRF_FROM = "127.0.0.4";
const FORBIDDEN_FROM = "127.0.0.5";

test("a return path that hides another host leads back into the console, never out of it", async ({
  page,
}) => {
  await signIn(page, "viewer", "/\t/evil.example/phish");
  expect(new URL(page.url()).origin).toBe(baseOrigin());
  expect(new URL(page.url()).pathname).toBe("/");
  const cookie = await sessionCookie(page);
  const signedIn = await rawRequest({ path: "/login?next=/%09/evil.example", headers: { cookie } });
  expect(signedIn.status).toBe(307);
  expect(signedIn.headers.location).toBe("/");
  for (const next of ["/%0a/x", "//evil.example", "/%5Cevil.example", "https://evil.example"]) {
    const answer = await rawRequest({ path: `/login?next=${next}`, headers: { cookie } });
    expect(answer.status, next).toBe(307);
    expect(answer.headers.location, next).toBe("/");
  }
  const signedOut = await rawRequest({ path: "/login?next=/%0a/x" });
  expect(signedOut.status).toBe(200);
});

test("X-Forwarded-For from a client is not believed: the sign-in limit and the audit see the real address", async ({
  redis,
}) => {
  const action = serverAction("lib/actions/auth.ts", "signIn");
  const from = "127.0.0.6"; // an address of this test's own: the limit it trips stays here
  for (let i = 0; i < 20; i++) {
    const answer = await callActionRaw(
      action,
      { username: `nobody${i}`, password: "guess" },
      { Origin: baseOrigin(), "X-Forwarded-For": `203.0.113.${i}` },
      from,
    );
    expect(actionResult(answer)?.error?.code).toBe("UNAUTHENTICATED");
  }
  const admin = E2E_USERS.admin;
  const answer = await callActionRaw(
    action,
    { username: admin.username, password: admin.password },
    { Origin: baseOrigin(), "X-Forwarded-For": "198.51.100.77", Forwarded: "for=198.51.100.78" },
    from,
  );
  expect(actionResult(answer)?.error?.code).toBe("RATE_LIMITED");
  expect(answer.headers["set-cookie"]).toBeUndefined();
  const entries = (await latestAudit(redis, 21)).filter((e) => e.action === "auth.sign-in");
  expect(entries.length).toBe(21);
  expect(new Set(entries.map((e) => e.address))).toEqual(new Set([from]));
  expect(entries[0]).toMatchObject({ user: "admin", outcome: "refused" });
});

test("a foreign Origin is refused even with a matching X-Forwarded-Host", async ({ redis }) => {
  const admin = E2E_USERS.admin;
  const answer = await callActionRaw(
    serverAction("lib/actions/auth.ts", "signIn"),
    { username: admin.username, password: admin.password },
    { Origin: "http://evil.example", "X-Forwarded-Host": "evil.example" },
    "127.0.0.3",
  );
  expect(answer.status).toBeLessThan(500);
  expect(actionResult(answer)?.error?.code).toBe("FORBIDDEN");
  expect(answer.headers["set-cookie"]).toBeUndefined();
  const [latest] = await latestAudit(redis, 1);
  expect(latest).toMatchObject({ action: "request.refused", outcome: "refused" });
  expect(latest!.detail).toContain("Origin http://evil.example");
});

test("a cookie replayed after sign-out reads and publishes nothing", async ({ page, redis }) => {
  await signIn(page, "operator");
  const cookie = await sessionCookie(page);
  expect((await rawRequest({ path: "/api/keys", headers: { cookie } })).status).toBe(200);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);

  expect((await rawRequest({ path: "/api/keys", headers: { cookie } })).status).toBe(401);
  const subscriber = redis.duplicate();
  const heard: string[] = [];
  await subscriber.subscribe("e2e_replay_channel");
  subscriber.on("message", (_channel, message) => heard.push(message));
  const publish = await callActionRaw(
    serverAction("lib/actions/monitor.ts", "publishMessage"),
    { conn: "primary", channel: "e2e_replay_channel", payload: "replayed", format: "text" },
    { cookie, Origin: baseOrigin() },
  );
  expect(actionResult(publish)?.error?.code).toBe("UNAUTHENTICATED");
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(heard).toEqual([]);
  subscriber.disconnect();
});

test("an admin sees active sessions and ends one; the other browser is signed out at its next request", async ({
  browser,
  page,
}) => {
  const other = await browser.newContext();
  const otto = await other.newPage();
  await signIn(otto, "operator");
  const ottoCookie = await sessionCookie(otto);

  await signIn(page, "admin", "/settings");
  const rows = page.getByTestId("session-row").filter({ hasText: "otto" });
  await expect(rows.first()).toContainText("operator");
  await expect(rows.first()).toContainText("127.0.0.1");
  await expect(page.getByTestId("session-row").filter({ hasText: "(you, here)" })).toHaveCount(1);
  const before = await rows.count();
  await rows
    .first()
    .getByRole("button", { name: /^End otto's session/ })
    .click();
  await expect(page.getByRole("status").filter({ hasText: "Ended a session of otto" })).toBeVisible();
  await expect(page.getByTestId("session-row").filter({ hasText: "otto" })).toHaveCount(before - 1);

  // This is otto's only session in this test; if an earlier one is left, it is a different cookie.
  expect((await rawRequest({ path: "/api/overview", headers: { cookie: ottoCookie } })).status).toBe(401);
  await otto.goto("/");
  await expect(otto).toHaveURL(/\/login/);
  await other.close();
});

test("signing out everywhere ends the user's sessions in every browser", async ({ browser, page }) => {
  const laptop = await browser.newContext();
  const other = await laptop.newPage();
  await signIn(other, "editor");
  const laptopCookie = await sessionCookie(other);
  await signIn(page, "editor", "/settings");
  await page.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(page).toHaveURL(/\/login$/);
  expect((await rawRequest({ path: "/api/overview", headers: { cookie: laptopCookie } })).status).toBe(401);
  await laptop.close();
});

test("a state-changing call without the console's own Origin is refused, audited, and changes nothing", async ({
  page,
  redis,
  scratchKey,
}) => {
  const key = scratchKey("e2e:csrf:");
  await redis.set(key, "keep me");
  await signIn(page, "operator");
  const cookie = await sessionCookie(page);
  const input = { conn: "primary", key: toKeyRef(key) };

  const noOrigin = await callActionRaw(deleteKey(), input, { cookie }, CSRF_FROM);
  expect(actionResult(noOrigin)?.error?.code).toBe("FORBIDDEN");
  const foreign = await callActionRaw(
    deleteKey(),
    input,
    { cookie, Origin: "http://evil.example" },
    CSRF_FROM,
  );
  expect(actionResult(foreign)?.error?.code).toBe("FORBIDDEN");
  const route = await rawRequest({
    method: "POST",
    path: "/api/live/watch",
    headers: { cookie, "Content-Type": "application/json" },
    body: JSON.stringify({ client: "x", add: [], remove: [] }),
    from: CSRF_FROM,
  });
  expect(route.status).toBe(403);
  expect(await redis.get(key)).toBe("keep me");
  const refused = (await latestAudit(redis, 3)).filter((e) => e.action === "request.refused");
  expect(refused.length).toBe(3);
  expect(refused.map((e) => e.user)).toEqual(["otto", "otto", "otto"]);
  expect(refused.some((e) => e.detail?.includes("deleteKeyAction"))).toBe(true);

  // A browser that sends no Origin but says the request is its own page's is believed.
  const sameSite = await callActionRaw(deleteKey(), input, { cookie, "Sec-Fetch-Site": "same-origin" });
  expect(actionResult(sameSite)?.ok).toBe(true);
  expect(await redis.exists(key)).toBe(0);
});

test("a viewer's forbidden call is audited with who, role, address and what was asked", async ({
  page,
  redis,
}) => {
  await signIn(page, "viewer");
  const answer = await callActionRaw(
    deleteKey(),
    { conn: "primary", key: toKeyRef("result:1") },
    { cookie: await sessionCookie(page), Origin: baseOrigin() },
    FORBIDDEN_FROM,
  );
  expect(actionResult(answer)?.error?.code).toBe("FORBIDDEN");
  const [latest] = await latestAudit(redis, 1);
  expect(latest).toMatchObject({
    action: "request.refused",
    user: "vera",
    role: "viewer",
    address: FORBIDDEN_FROM,
  });
  expect(latest!.detail).toBe("FORBIDDEN: action deleteKeyAction needs operator");
});

/** The console's server process (the one listening on the e2e port), by its sockets in /proc. */
function serverPid(): number {
  const port = Number(process.env.E2E_PORT).toString(16).toUpperCase().padStart(4, "0");
  const listening = readFileSync("/proc/net/tcp", "utf8")
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .find((cols) => cols[1]?.endsWith(`:${port}`) && cols[3] === "0A");
  const inode = listening?.[9];
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === `socket:[${inode}]`) return Number(pid);
      }
    } catch {
      // a process that went away, or one we may not read
    }
  }
  throw new Error("The console's process was not found");
}

const rssMb = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024;

/** Streams up to `total` bytes as a chunked body until the server answers; resolves with what it sent. */
function streamBody(
  path: string,
  headers: Record<string, string>,
  total: number,
): Promise<{ status: number | "closed"; sent: number }> {
  return new Promise<{ status: number | "closed"; sent: number }>((resolve, reject) => {
    let sent = 0;
    const request = http.request({
      host: "127.0.0.1",
      port: Number(process.env.E2E_PORT),
      method: "POST",
      path,
      headers: { ...headers, "Transfer-Encoding": "chunked" },
      agent: false,
    });
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let answered = false;
    request.on("response", (response) => {
      answered = true;
      response.resume();
      resolve({ status: response.statusCode ?? 0, sent });
      request.destroy();
    });
    request.on("error", (error: NodeJS.ErrnoException) => {
      if (answered) return;
      answered = true;
      // The server closed the connection on a body it would not read any further.
      if (error.code === "EPIPE" || error.code === "ECONNRESET") resolve({ status: "closed", sent });
      else reject(error);
    });
    const write = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!request.write(chunk)) return void request.once("drain", write);
      }
      if (!answered) request.end();
    };
    write();
  });
}

test("bodies are read up to their limit and no further, and memory stays where it was", async ({ page }) => {
  await signIn(page, "viewer");
  const cookie = await sessionCookie(page);
  const headers = { cookie, Origin: baseOrigin(), "Content-Type": "application/json" };
  const pid = serverPid();
  const before = rssMb(pid);

  // Declared 200 MB: refused before a byte is read.
  const declared = await Promise.all(
    Array.from({ length: 4 }, () =>
      rawRequest({
        method: "POST",
        path: "/api/live/watch",
        headers: { ...headers, "Content-Length": String(200 * 1024 * 1024) },
        body: "",
      }),
    ),
  );
  for (const answer of declared) {
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.text).error.message).toMatch(/64 KB at most/);
  }
  // Undeclared (chunked) 200 MB: cut off once past the limit.
  const streamed = await Promise.all(
    Array.from({ length: 4 }, () => streamBody("/api/live/watch", headers, 200 * 1024 * 1024)),
  );
  for (const answer of streamed) {
    expect([413, "closed"]).toContain(answer.status);
    expect(answer.sent).toBeLessThan(50 * 1024 * 1024);
  }
  const action = serverAction("lib/actions/monitor.ts", "publishMessage");
  const actionAnswer = await streamBody(
    action.page,
    { cookie, Origin: baseOrigin(), "Next-Action": action.id, "Content-Type": "text/plain;charset=UTF-8" },
    200 * 1024 * 1024,
  );
  expect([413, "closed"]).toContain(actionAnswer.status);
  expect(actionAnswer.sent).toBeLessThan(50 * 1024 * 1024);
  expect(rssMb(pid) - before).toBeLessThan(150);
});

test("a malformed server action body is a 400 with a message, never a 500", async ({ page }) => {
  await signIn(page, "operator");
  const cookie = await sessionCookie(page);
  const action = deleteKey();
  for (const body of ["not json{", '[{"a":', "", '{"a":1}', '["$1"]']) {
    const answer = await rawRequest({
      method: "POST",
      path: action.page,
      headers: {
        cookie,
        Origin: baseOrigin(),
        "Next-Action": action.id,
        "Content-Type": "text/plain;charset=UTF-8",
      },
      body,
    });
    expect(answer.status, body).toBe(400);
    expect(JSON.parse(answer.text).error.code).toBe("INVALID");
  }
});

test("a 1 MB password is refused with its limit and the sign-in page stays", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Username").fill("ana");
  await page.getByLabel("Password").fill("p".repeat(1024 * 1024));
  await page.getByLabel("Password").press("Enter");
  await expect(page.getByRole("main").getByRole("alert")).toContainText(
    "a password has at most 1,024 characters",
  );
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
});

test("a large bulk upload works, and one over the limit says so and keeps the text", async ({
  page,
  redis,
  scratchKey,
}) => {
  const key = scratchKey("model:e2e_big_bulk_", ":v1");
  await redis.hset(key, "a", "1");
  await signIn(page, "editor", `/models/${toKeyRef(key)}`);
  await page.getByRole("button", { name: "Bulk edit" }).click();
  const dialog = page.getByRole("dialog", { name: "Bulk edit" });

  // 1.7 MB: one field with a long value (over Next's default 1 MB action limit).
  const big = JSON.stringify({ a: "1", notes: "x".repeat(1_700_000) });
  await dialog
    .locator('input[type="file"]')
    .setInputFiles({ name: "big.json", mimeType: "application/json", buffer: Buffer.from(big) });
  const previewed = page.waitForResponse(
    (r) => r.request().method() === "POST" && !!r.request().headers()["next-action"],
  );
  await dialog.getByRole("button", { name: "Show differences" }).click();
  await expect(dialog.getByTestId("bulk-added")).toContainText("notes");
  // A large answer is still gzipped (only answers under 1 KB go out plain).
  expect(await (await previewed).headerValue("content-encoding")).toBe("gzip");

  // 25 MB: over the console's limit. The dialog says so at once, without reading the file into
  // the box, and the box keeps what it held. (Text typed or pasted past the limit is refused before
  // it is sent: tests/unit/call-action.test.ts.)
  const huge = Buffer.alloc(25 * 1024 * 1024, "y");
  await dialog
    .locator('input[type="file"]')
    .setInputFiles({ name: "huge.json", mimeType: "application/json", buffer: huge });
  await expect(dialog.getByRole("alert")).toContainText(
    "huge.json is 25 MB; the console takes at most 24 MB in one request",
  );
  expect(await dialog.getByLabel("Parameters").evaluate((box: HTMLTextAreaElement) => box.value.length)).toBe(
    big.length,
  );
  expect(await redis.hgetall(key)).toEqual({ a: "1" });
});
