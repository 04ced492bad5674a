import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installFrontDoor, PEER_HEADER } from "@/lib/request/front-door";
import { addressFrom, ownOriginFrom } from "@/lib/request-context";

// The front door in front of a real HTTP server, as it sits in front of Next's: what the
// handler behind it gets to see. This process trusts 127.0.0.1 as a proxy (the built app's
// e2e suite covers the default, trusting nobody).

let server: http.Server;
let base: string;
const seen: http.IncomingHttpHeaders[] = [];

beforeAll(async () => {
  process.env.CONSOLE_TRUSTED_PROXIES = "127.0.0.1";
  installFrontDoor();
  server = http.createServer((request, response) => {
    seen.push({ ...request.headers });
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => response.end(JSON.stringify({ body })));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const reader = (headers: http.IncomingHttpHeaders) => ({
  get: (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value.join(", ") : (value ?? null);
  },
});

describe("the front door", () => {
  it("puts the security headers on every answer, its own refusals included", async () => {
    const expected = {
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "referrer-policy": "no-referrer",
      "permissions-policy": "camera=(), microphone=(), geolocation=()",
      "cross-origin-opener-policy": "same-origin",
    };
    const served = await fetch(`${base}/_next/static/chunks/app.js`);
    const refused = await fetch(`${base}/api/keys/%zz`);
    expect(refused.status).toBe(400);
    for (const response of [served, refused]) {
      const headers = Object.fromEntries(response.headers);
      expect(headers).toMatchObject(expected);
      await response.arrayBuffer();
    }
  });

  it("believes a trusted proxy's X-Forwarded-For and records the real peer, which no header can forge", async () => {
    await fetch(`${base}/`, {
      headers: { "X-Forwarded-For": "6.6.6.6, 198.51.100.4", [PEER_HEADER]: "10.9.9.9" },
    });
    const headers = seen.at(-1)!;
    expect(headers[PEER_HEADER]).toBe("127.0.0.1");
    expect(addressFrom(reader(headers))).toBe("198.51.100.4");
  });

  it("takes host and scheme from a trusted proxy", async () => {
    await fetch(`${base}/`, {
      headers: { "X-Forwarded-Host": "console.example", "X-Forwarded-Proto": "https" },
    });
    expect(ownOriginFrom(reader(seen.at(-1)!))).toBe("https://console.example");
  });

  it("answers 413 to a declared body over the limit, without reading it", async () => {
    const response = await fetch(`${base}/api/anything`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Content-Length": String(5_000_000) },
      body: "x".repeat(5_000_000),
    });
    expect(response.status).toBe(413);
    expect((await response.json()).error.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("hands a server action's body on once it is whole and decodable, and answers 400 otherwise", async () => {
    const good = JSON.stringify([{ pattern: "result:*" }]);
    const ok = await fetch(`${base}/cache`, {
      method: "POST",
      headers: { "Next-Action": "abc", "Content-Type": "text/plain;charset=UTF-8" },
      body: good,
    });
    expect(await ok.json()).toEqual({ body: good });
    const bad = await fetch(`${base}/cache`, {
      method: "POST",
      headers: { "Next-Action": "abc", "Content-Type": "text/plain;charset=UTF-8" },
      body: "[{",
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe("INVALID");
  });
});
