import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { APIRequestContext, Browser } from "@playwright/test";
import type { Role } from "@/lib/auth/roles";
import { signIn } from "@/tests/e2e/fixtures";
import { E2E_USERS } from "@/tests/e2e/users";

// Every route handler and every server action, found from the source tree and the build's
// manifest (not from a list kept by hand), so the specs that walk all of them (permissions, fuzz)
// cannot miss a new one. Each must declare its role here; permissions.spec.ts fails for one that
// does not until it is added with the role it should need.

export const ROUTE_ROLES: Record<string, Role | "public"> = {
  "GET /api/health": "public",
  "GET /api/overview": "viewer",
  "GET /api/audit": "admin",
  "GET /api/sessions": "admin",
  "GET /api/models": "viewer",
  "GET /api/models/compare": "viewer",
  "GET /api/models/ref/fields": "viewer",
  "GET /api/models/ref/history": "viewer",
  "GET /api/models/ref/export": "viewer",
  "GET /api/live": "viewer",
  "POST /api/live/watch": "viewer",
  "GET /api/live/streams": "viewer",
  "GET /api/monitor/channels": "viewer",
  "GET /api/streams": "viewer",
  "GET /api/streams/ref/entries": "viewer",
  "GET /api/streams/ref/groups": "viewer",
  "GET /api/keys": "viewer",
  "GET /api/keys/stream": "viewer",
  "GET /api/key-tree": "viewer",
  "GET /api/keys/ref": "viewer",
  "GET /api/cache/namespaces": "viewer",
  "GET /api/cache/jobs": "viewer",
  "GET /api/cache/jobs/id": "viewer",
  "GET /api/cache/database": "viewer",
  "GET /api/cache/hit-rates": "viewer",
  "GET /api/metrics": "viewer",
  "GET /api/cluster": "viewer",
  "GET /api/slowlog": "viewer",
};

export const ACTION_ROLES: Record<string, Role | "public"> = {
  "lib/actions/auth.ts#signIn": "public",
  // The sign-in page has the language switch too; it changes a cookie (and a signed-in user's setting).
  "lib/actions/language.ts#setLanguage": "public",
  "lib/actions/auth.ts#signOut": "viewer",
  "lib/actions/auth.ts#signOutEverywhere": "viewer",
  "lib/actions/auth.ts#endSessionAction": "admin",
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

export interface DiscoveredRoute {
  /** `GET /api/keys/ref`: method and path with dynamic segments named bare. */
  name: string;
  method: string;
  /** The path with each `[segment]` replaced by its bare name (`/api/keys/ref`). */
  url: string;
  /** The route file, whose first comment line documents its query. */
  file: string;
  /** The path as the file tree spells it (`/api/keys/[ref]`). */
  template: string;
  /** Names of the dynamic segments, in path order. */
  segments: string[];
}

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return routeFiles(full);
    return name === "route.ts" ? [full] : [];
  });
}

export function discoverRoutes(): DiscoveredRoute[] {
  return routeFiles("app/api").flatMap((file) => {
    const template = `/${path
      .dirname(file)
      .replace(/\\/g, "/")
      .replace(/^app\//, "")}`;
    const url = template.replace(/\[([^\]]+)\]/g, "$1");
    const segments = [...template.matchAll(/\[([^\]]+)\]/g)].map(([, name]) => name!);
    const methods = [...readFileSync(file, "utf8").matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g)];
    return methods.map(([, method]) => ({
      name: `${method} ${url}`,
      method: method!,
      url,
      file,
      template,
      segments,
    }));
  });
}

interface ManifestEntry {
  filename: string;
  exportedName: string;
  workers: Record<string, unknown>;
}

export interface DiscoveredAction {
  /** `lib/actions/keys.ts#deleteKeyAction` */
  name: string;
  exportedName: string;
  id: string;
  /** A page that imports the action, where a `Next-Action` POST reaches it. */
  page: string;
}

export function discoverActions(): DiscoveredAction[] {
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
    return { name: `${entry.filename}#${entry.exportedName}`, exportedName: entry.exportedName, id, page };
  });
}

/** A request context signed in (through the form) as the e2e user with this role, or anonymous. */
export async function requestAs(browser: Browser, role: Role | null): Promise<APIRequestContext> {
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
