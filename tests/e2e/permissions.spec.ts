import type { APIRequestContext } from "@playwright/test";
import { roleAllows, ROLES, type Role } from "@/lib/auth/roles";
import { ACTION_ROLES, discoverActions, discoverRoutes, requestAs, ROUTE_ROLES } from "@/tests/e2e/discover";
import { expect, test } from "@/tests/e2e/fixtures";
import { monitorCommands } from "@/tests/helpers/monitor";

/**
 * Records every command Redis runs from now on (MONITOR), except the metrics sampler's (pages of
 * earlier tests keep it running for its idle grace, reading INFO and writing its own state keys)
 * and the authorization itself: the stored-session check and the audit entry of a refusal, both
 * in console state.
 */
async function recordCommands(): Promise<{ stop: () => Promise<string[]> }> {
  const seen: string[] = [];
  const monitor = await monitorCommands(Number(process.env.E2E_REDIS_PORT), ({ args }) => {
    const sampler =
      args[0]?.toLowerCase() === "info" || args.some((arg) => arg.startsWith("__console:metrics:"));
    // The audit stream is written in MULTI … EXEC batches (lib/audit/stream).
    const authorization =
      ["multi", "exec"].includes(args[0]?.toLowerCase() ?? "") ||
      args.some((arg) => arg.startsWith("__console:session:") || arg === "__console:audit");
    if (!sampler && !authorization) seen.push(args.join(" "));
  });
  return {
    stop: async () => {
      // MONITOR reports a moment after the fact.
      await new Promise((resolve) => setTimeout(resolve, 500));
      monitor.stop();
      return seen;
    },
  };
}

function callAction(request: APIRequestContext, baseURL: string, action: { id: string; page: string }) {
  return request.post(action.page, {
    headers: { "Next-Action": action.id, "Content-Type": "text/plain;charset=UTF-8", Origin: baseURL },
    data: JSON.stringify([{}]),
  });
}

test("every route handler and server action refuses callers below its role without touching Redis", async ({
  browser,
  baseURL,
}) => {
  const routes = discoverRoutes();
  const actions = discoverActions();
  expect(routes.map((r) => r.name).sort()).toEqual(Object.keys(ROUTE_ROLES).sort());
  expect(actions.map((a) => a.name).sort()).toEqual(Object.keys(ACTION_ROLES).sort());

  const callers = new Map<Role | null, APIRequestContext>();
  for (const role of [null, ...ROLES]) callers.set(role, await requestAs(browser, role));

  const recording = await recordCommands();
  let refusals = 0;
  for (const route of routes) {
    const required = ROUTE_ROLES[route.name]!;
    if (required === "public") continue;
    for (const role of [null, ...ROLES.filter((r) => !roleAllows(r, required))]) {
      const response = await callers
        .get(role)!
        .fetch(route.url, { method: route.method, headers: { Origin: baseURL! } });
      const expected =
        role === null ? { status: 401, code: "UNAUTHENTICATED" } : { status: 403, code: "FORBIDDEN" };
      expect(response.status(), `${route.name} as ${role ?? "anonymous"}`).toBe(expected.status);
      expect((await response.json()).error.code).toBe(expected.code);
      refusals++;
    }
  }
  for (const action of actions) {
    const required = ACTION_ROLES[action.name]!;
    if (required === "public") continue;
    for (const role of [null, ...ROLES.filter((r) => !roleAllows(r, required))]) {
      const response = await callAction(callers.get(role)!, baseURL!, action);
      const body = await response.text();
      const expected = role === null ? "UNAUTHENTICATED" : "FORBIDDEN";
      expect(body, `${action.name} as ${role ?? "anonymous"}`).toContain(`"code":"${expected}"`);
      refusals++;
    }
  }
  expect(refusals).toBeGreaterThanOrEqual(5);
  expect(await recording.stop()).toEqual([]);
});

test("a viewer sees neither the audit log nor the user list", async ({ page, signInAs, request }) => {
  await signInAs("viewer", "/settings");
  await expect(page.getByTestId("connections-table")).toBeVisible();
  await expect(page.getByTestId("users-table")).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Open the audit log →" })).toHaveCount(0);
  await page.goto("/settings/audit");
  await expect(page.getByRole("status")).toContainText(
    "The audit log needs the admin role; you are signed in as viewer.",
  );
  const response = await page.request.get("/api/audit");
  expect(response.status()).toBe(403);
  void request;
});

test("an admin sees users and the audit log", async ({ page, signInAs }) => {
  await signInAs("admin", "/settings");
  await expect(page.getByTestId("users-table")).toContainText("ana");
  await expect(page.getByTestId("users-table")).toContainText("editor");
  await expect(page.getByTestId("users-table")).not.toContainText("scrypt");
  await page.getByRole("link", { name: "Open the audit log →" }).click();
  await expect(page.getByTestId("audit-table")).toContainText("auth.sign-in");
});

test("every state-changing route and action refuses a call without the console's Origin, or with another", async ({
  browser,
}) => {
  const admin = await requestAs(browser, "admin");
  const recording = await recordCommands();
  const mutating = discoverRoutes().filter((route) => route.method !== "GET");
  const actions = discoverActions();
  expect(mutating.length + actions.length).toBeGreaterThan(20);
  for (const origin of [undefined, "http://evil.example"]) {
    const headers: Record<string, string> = origin ? { Origin: origin } : {};
    for (const route of mutating) {
      const response = await admin.fetch(route.url, { method: route.method, headers, data: {} });
      expect(response.status(), `${route.name} from ${origin ?? "no Origin"}`).toBe(403);
    }
    for (const action of actions) {
      const response = await admin.post(action.page, {
        headers: { "Next-Action": action.id, "Content-Type": "text/plain;charset=UTF-8", ...headers },
        data: JSON.stringify([{}]),
      });
      expect(await response.text(), `${action.name} from ${origin ?? "no Origin"}`).toContain(
        '"code":"FORBIDDEN"',
      );
    }
  }
  expect(await recording.stop()).toEqual([]);
});
