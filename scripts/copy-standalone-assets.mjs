// Next's standalone output leaves out public/ and .next/static; copy them beside server.js
// so `node .next/standalone/server.js` (npm start, Docker, the e2e suite) serves a complete app.
import { cpSync, existsSync } from "node:fs";
import path from "node:path";

const root = process.cwd();
const standalone = path.join(root, ".next", "standalone");
if (!existsSync(path.join(standalone, "server.js"))) {
  console.error('No .next/standalone/server.js: is `output: "standalone"` set in next.config.js?');
  process.exit(1);
}
cpSync(path.join(root, ".next", "static"), path.join(standalone, ".next", "static"), { recursive: true });
if (existsSync(path.join(root, "public"))) {
  cpSync(path.join(root, "public"), path.join(standalone, "public"), { recursive: true });
}
