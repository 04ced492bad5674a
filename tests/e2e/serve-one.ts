// One more console process for a test that needs connections of its own (a Redis Cluster the
// test starts, tests/e2e/cluster.spec.ts): the standalone build with the suite's users, on
// E2E_ONE_PORT, serving the connections in E2E_ONE_CONNECTIONS (JSON). SIGTERM stops it.
import { spawn } from "node:child_process";
import path from "node:path";
import { consoleEnv, e2eUsersJson, newSessionSecret } from "@/tests/e2e/console-env";

async function main(): Promise<void> {
  const port = Number(process.env.E2E_ONE_PORT);
  const connections = JSON.parse(process.env.E2E_ONE_CONNECTIONS ?? "[]") as unknown[];
  const shared = { secret: newSessionSecret(), users: await e2eUsersJson(), connections };
  const server = spawn(process.execPath, [path.resolve(".next/standalone/server.js")], {
    env: consoleEnv(port, shared),
    stdio: "inherit",
  });
  const stop = () => server.kill("SIGTERM");
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  server.on("exit", (code) => process.exit(code ?? 0));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
