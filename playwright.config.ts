import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";

// Debian's Chromium: its headless shell (package chromium-headless-shell, the build Playwright itself
// runs headless) when installed, else the full browser. The same engine without the browser's
// window machinery: the suite took 6.8 min on two workers with it, 10.2 min with the full browser,
// which kept both cores busy on its own. CHROMIUM_PATH picks another.
const HEADLESS_SHELL = "/usr/bin/chromium-headless-shell";
const browser =
  process.env.CHROMIUM_PATH ?? (existsSync(HEADLESS_SHELL) ? HEADLESS_SHELL : "/usr/bin/chromium");

export default defineConfig({
  testDir: "tests/e2e",
  // Each worker has Redis and consoles of its own (the `stack` fixture in tests/e2e/fixtures.ts), so
  // files spread over workers; a file's tests run in order in one worker. Two fill two cores.
  fullyParallel: false,
  workers: Number(process.env.E2E_WORKERS) || 2,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"]],
  outputDir: "test-results",
  use: {
    viewport: { width: 1400, height: 900 },
    // A trace records every action's page for a test that may fail: 15 % of the suite's time. CI
    // keeps only what it prints, so there it is off; locally a failed test leaves its trace.
    trace: process.env.CI ? "off" : "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: browser,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
});
