// npm start: serve the built console (Next's standalone server) for production use, in this process.
// The standalone server changes its working directory, so the data folder is made absolute first.
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const root = process.cwd();
const server = path.join(root, ".next", "standalone", "server.js");
if (!existsSync(server)) {
  console.error("The console is not built yet. Run `npm run build` first (or `npm run demo`).");
  process.exit(1);
}
process.env.CONSOLE_DATA_DIR = path.resolve(root, process.env.CONSOLE_DATA_DIR ?? ".data");
// Next's server binds to $HOSTNAME, which shells set to the machine's name.
process.env.HOSTNAME = process.env.HOST ?? "0.0.0.0";
process.env.PORT ??= "3000";
process.env.NODE_ENV = "production";
await import(pathToFileURL(server).href);
