import { execFileSync } from "node:child_process";
import { defineConfig } from "@playwright/test";

// Workers re-read this file; the ports chosen by the main process reach them through env.
function pickPort(): string {
  const script =
    "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})";
  return execFileSync(process.execPath, ["-e", script], { encoding: "utf8" }).trim();
}
process.env.E2E_PORT ??= pickPort();
// A second console instance on the same Redis (tests/e2e/instances.spec.ts).
process.env.E2E_PORT_B ??= pickPort();
process.env.E2E_REDIS_PORT ??= pickPort();
process.env.E2E_DEAD_PORT ??= pickPort();
process.env.E2E_METRICS_REDIS_PORT ??= pickPort();

const baseURL = `http://127.0.0.1:${process.env.E2E_PORT}`;

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"]],
  outputDir: "test-results",
  use: {
    baseURL,
    viewport: { width: 1400, height: 900 },
    // A trace records every action's page for a test that may fail: 15 % of the suite's time. CI
    // keeps only what it prints, so there it is off; locally a failed test leaves its trace.
    trace: process.env.CI ? "off" : "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
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
  webServer: {
    command: "npx tsx --conditions=react-server tests/e2e/serve.ts",
    url: `${baseURL}/login`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
  },
});
