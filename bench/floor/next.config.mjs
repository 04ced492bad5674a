// The framework floor of `npm run bench` (issue 15): bare route handlers, built standalone with the
// console's Next version, no proxy, no session, no wrappers, no i18n. bench/floors.ts builds it
// (`next build` in this folder) when its server.js is missing.
import path from "node:path";
import { fileURLToPath } from "node:url";

// The repository root: its node_modules, and the lib/ and bench/ modules the routes import.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** @type {import("next").NextConfig} */
const nextConfig = {
  output: "standalone",
  outputFileTracingRoot: root,
  turbopack: { root },
  // As the console: ioredis stays out of the bundle.
  serverExternalPackages: ["ioredis"],
  // The root's `npx tsc --noEmit` checks these files; the floor's build need not do it again.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
