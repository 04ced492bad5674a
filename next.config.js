// @ts-check
// eslint-disable-next-line @typescript-eslint/no-require-imports -- this file is CommonJS, as Next loads it
const createNextIntlPlugin = require("next-intl/plugin");

// next-intl reads each request's language and messages from lib/i18n/request.ts.
const withNextIntl = createNextIntlPlugin("./lib/i18n/request.ts");

/** @type {import("next").NextConfig} */
const nextConfig = {
  // `npm start`, the Dockerfile and the e2e suite all serve this self-contained build.
  output: "standalone",
  poweredByHeader: false,
  // ioredis is a server dependency with optional native pieces; keep it out of the bundle.
  serverExternalPackages: ["ioredis"],
  experimental: {
    // lib/request/limits ACTION_BODY_LIMIT (24 MB): the bulk editor's 20 MB of text, JSON-escaped.
    serverActions: { bodySizeLimit: "24mb" },
    // Pages take no bodies but actions' (which skip the proxy); nothing else need be buffered for it.
    proxyClientMaxBodySize: "64kb",
  },
  // The security headers every answer carries are set by the front door (lib/request/front-door.ts),
  // before Next sees the request: a `headers()` rule here costs a route match on every request.
};

module.exports = withNextIntl(nextConfig);
