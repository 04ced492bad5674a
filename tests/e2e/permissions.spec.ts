import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { APIRequestContext, Browser } from "@playwright/test";
import Redis from "ioredis";
import { roleAllows, ROLES, type Role } from "@/lib/auth/roles";
import { expect, signIn, test } from "@/tests/e2e/fixtures";
import { E2E_USERS } from "@/tests/e2e/users";

// Every route handler and every server action, found from the source tree and the build's
// manifest (not from a list kept by hand), must declare its role here; a new one that does not
// fails this test until it is added with the role it should need.
const ROUTE_ROLES: Record<string, Role | "public"> = {
  "GET /api/health": "public",
  "GET /api/overview": "viewer",
  "GET /api/audit": "admin",
  "GET /api/models": "viewer",
  "GET /api/models/compare": "viewer",
  "GET /api/models/ref/fields": "viewer",
  "GET /api/models/ref/history": "viewer",
  "GET /api/models/ref/export": "viewer",
  "GET /api/live": "viewer",
  "POST /api/live/watch": "viewer",
  "GET /api/monitor/channels": "viewer",
  "GET /api/streams": "viewer",
  "GET /api/streams/ref/entries": "viewer",
  "GET /api/streams/ref/groups": "viewer",
  "GET /api/keys": "viewer",
  "GET /api/key-tree": "viewer",
  "GET /api/keys/ref": "viewer",
  "GET /api/cache/namespaces": "viewer",
  "GET /api/cache/jobs": "viewer",
  "GET /api/cache/jobs/id": "viewer",
  "GET /api/cache/database": "viewer",
  "GET /api/cache/hit-rates": "viewer",
  "GET /api/metrics": "viewer",
  "GET /api/slowlog": "viewer",
};
const ACTION_ROLES: Record<string, Role | "public"> = {
  "lib/actions/auth.ts#signIn": "public",
  "lib/actions/auth.ts#signOut": "viewer",
  "lib/actions/connection.ts#switchConnection": "viewer",
  "lib/actions/models.ts#applyModelChanges": "editor",
  "lib/actions/models.ts#renameModelField": "editor",
  "lib/actions/models.ts#restoreModel": "editor",
  "lib/actions/models.ts#revertModelChange": "editor",
  "lib/actions/models.ts#cloneModel": "editor",
  "lib/actions/models.ts#previewBulkEdit": "editor",
  "lib/actions/models.ts#openModelByName": "viewer",
  "lib/actions/monitor.ts#publishMessage": "operator",
  "lib/actions/monitor.ts#createStreamGroup": "operator",
  "lib/actions/monitor.ts#ackStreamEntries": "operator",
  "lib/actions/keys.ts#deleteKeyAction": "operator",
  "lib/actions/keys.ts#setKeyTtl": "operator",
  "lib/actions/cache.ts#dryRunFlush": "operator",
  "lib/actions/cache.ts#startFlushJob": "operator",
  "lib/actions/cache.ts#cancelFlushJob": "operator",
  "lib/actions/cache.ts#cancelCountJob": "viewer",
  "lib/actions/cache.ts#flushDatabaseAction": "admin",
};

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return routeFiles(full);
    return name === "route.ts" ? [full] : [];
  });
}

function discoverRoutes(): { name: string; method: string; url: string }[] {
  return routeFiles("app/api").flatMap((file) => {
    const url = `/${path
      .dirname(file)
      .replace(/\\/g, "/")
      .replace(/^app\//, "")}`.replace(/\[([^\]]+)\]/g, "$1");
    const methods = [...readFileSync(file, "utf8").matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g)];
    return methods.map(([, method]) => ({ name: `${method} ${url}`, method: method!, url }));
  });
}

interface ManifestEntry {
  filename: string;
  exportedName: string;
  workers: Record<string, unknown>;
}

function discoverActions(): { name: string; id: string; page: string }[] {
  const manifest = JSON.parse(readFileSync(".next/server/server-reference-manifest.json", "utf8")) as {
    node: Record<string, ManifestEntry>;
  };
  return Object.entries(manifest.node).map(([id, entry]) => {
    const worker = Object.keys(entry.workers)[0]!;
    const page =
      worker
        .replace(/^app/, "")
        .replace(/\/page$/, "")
        .replace(/\/\([^)]+\)/g, "") || "/";
    return { name: `${entry.filename}#${entry.exportedName}`, id, page };
  });
}

/** Commands Redis has run, leaving out the INFO this check itself sends. */
/**
 * Records every command Redis runs from now on (MONITOR), except the metrics sampler's: pages of
 * earlier tests keep it running for its idle grace, reading INFO and writing its own state keys.
 */
async function recordCommands(): Promise<{ stop: () => Promise<string[]> }> {
  const client = new Redis(Number(process.env.E2E_REDIS_PORT), "127.0.0.1", { protocol: 2 });
  const monitor = await client.monitor();
  const seen: string[] = [];
  monitor.on("monitor", (_time: string, args: string[]) => {
    const sampler =
      args[0]?.toLowerCase() === "info" || args.some((arg) => arg.startsWith("__console:metrics:"));
    if (!sampler) seen.push(args.join(" "));
  });
  return {
    stop: async () => {
      // MONITOR reports a moment after the fact.
      await new Promise((resolve) => setTimeout(resolve, 500));
      monitor.disconnect();
      client.disconnect();
      return seen;
    },
  };
}

async function requestAs(browser: Browser, role: Role | null): Promise<APIRequestContext> {
  const context = await browser.newContext();
  if (role) {
    const page = await context.newPage();
    const who = (Object.keys(E2E_USERS) as (keyof typeof E2E_USERS)[]).find(
      (k) => E2E_USERS[k].role === role,
    )!;
    await signIn(page, who);
    await page.close(); // no page left open to poll Redis while we count
  }
  return context.request;
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
