// npm start: serve the built console (Next's standalone server) for production use.
// The standalone server changes its working directory, so the data folder is made absolute here.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

const root = process.cwd();
const server = path.join(root, ".next", "standalone", "server.js");
if (!existsSync(server)) {
  console.error("The console is not built yet. Run `npm run build` first (or `npm run demo`).");
  process.exit(1);
}
const env = {
  ...process.env,
  CONSOLE_DATA_DIR: path.resolve(root, process.env.CONSOLE_DATA_DIR ?? ".data"),
  // Next's server binds to $HOSTNAME, which shells set to the machine's name.
  HOSTNAME: process.env.HOST ?? "0.0.0.0",
  PORT: process.env.PORT ?? "3000",
  NODE_ENV: "production",
};
const child = spawn(process.execPath, [server], { env, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => child.kill(signal));
}
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
