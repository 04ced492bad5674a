// Shared by every benchmark: timing, percentiles, the side-by-side table with the plain floor, and
// finding the build's server actions.
import { readFileSync } from "node:fs";
import { chromium, type Page } from "@playwright/test";
import os from "node:os";
import path from "node:path";

export interface Timing {
  p50: number;
  p95: number;
  mean: number;
  runs: number;
}

export async function time(
  runs: number,
  work: () => Promise<unknown>,
  warmup = Math.min(50, runs),
): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return {
    p50: percentile(samples, 0.5),
    p95: percentile(samples, 0.95),
    mean: samples.reduce((s, v) => s + v, 0) / samples.length,
    runs,
  };
}

/** The q-quantile of samples sorted ascending (NaN when there are none). */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

export interface Row {
  name: string;
  floor: Timing;
  console: Timing;
  target?: string;
}

const ms = (value: number) => `${value.toFixed(2)} ms`;

export function table(rows: Row[]): string {
  const lines = [
    "| benchmark | plain ioredis p50 | console p50 | console p95 | ratio (p50) | target |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows.map(
      (r) =>
        `| ${r.name} | ${ms(r.floor.p50)} | ${ms(r.console.p50)} | ${ms(r.console.p95)} | ${(r.console.p50 / r.floor.p50).toFixed(2)}× | ${r.target ?? "—"} |`,
    ),
  ];
  return lines.join("\n");
}

export function machine(): string {
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  return `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
}

/** GET a console route with a session; its `data`, or an error with the route's message. */
export async function getJson<T>(url: string, cookie: string): Promise<T> {
  const response = await fetch(url, { headers: { cookie } });
  const body = (await response.json()) as { ok: boolean; data?: T; error?: { message: string } };
  if (!response.ok || !body.ok) throw new Error(`${url} answered ${response.status}: ${body.error?.message}`);
  return body.data as T;
}

export interface ServerAction {
  id: string;
  /** A page the action is bound to: a server action is called by POSTing to a page URL. */
  page: string;
}

/**
 * A server action's id and page, from the build's manifest beside the server.js being benchmarked
 * (ids change with every build, so they are never written down).
 */
export function serverAction(serverJs: string, file: string, name: string): ServerAction {
  const manifestPath = path.join(path.dirname(serverJs), ".next/server/server-reference-manifest.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as {
    node: Record<string, { filename: string; exportedName: string; workers: Record<string, unknown> }>;
  };
  const found = Object.entries(manifest.node).find(([, e]) => e.filename === file && e.exportedName === name);
  if (!found) throw new Error(`No server action ${file}#${name} in ${manifestPath}`);
  const [id, entry] = found;
  const worker = Object.keys(entry.workers)[0] ?? "app/page";
  const page =
    worker
      .replace(/^app/, "")
      .replace(/\/page$/, "")
      .replace(/\/\([^)]+\)/g, "") || "/";
  return { id, page };
}

/** Debian's Chromium, as the e2e suite starts it. */
export function launchChromium(extraArgs: string[] = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", ...extraArgs],
  });
}

/** Watches a channel on the Monitor page and waits until the server confirms it. */
export async function watchChannel(page: Page, channel: string): Promise<void> {
  await page.getByLabel("Channel", { exact: true }).fill(channel);
  await page.getByRole("button", { name: "Watch channel" }).click();
  await page.locator(`[data-testid="watch-chip"][data-name="${channel}"][data-confirmed="true"]`).waitFor();
}
