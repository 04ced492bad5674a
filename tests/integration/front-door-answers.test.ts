import http from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installFrontDoor } from "@/lib/request/front-door";
import { SMALL_ANSWER } from "@/lib/request/small-answer";

// The front door in front of a server that sends answers as Next 16 does: its own compression
// middleware (the one router-server installs), then for each chunk of a streamed answer
// flushHeaders() first, write(), flush(). A server action's answer under SMALL_ANSWER must go out
// whole, with its length and not gzipped; a larger one, and any other request's, as before.

type Compress = () => (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void;
const compression = createRequire(import.meta.url)("next/dist/compiled/compression") as Compress;

let server: http.Server;
let base: string;

beforeAll(async () => {
  installFrontDoor();
  const compress = compression();
  server = http.createServer((request, response) => {
    compress(request, response, () => undefined);
    const url = new URL(request.url ?? "/", "http://x");
    const size = Number(url.searchParams.get("size"));
    const chunks = Number(url.searchParams.get("chunks") ?? 1);
    request.resume();
    request.on("end", async () => {
      response.setHeader("Content-Type", "text/x-component");
      response.setHeader("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate");
      const body = Buffer.alloc(size, "a");
      const res = response as http.ServerResponse & { flush?: () => void };
      const piece = (i: number) =>
        body.subarray(Math.floor((i * size) / chunks), Math.floor(((i + 1) * size) / chunks));
      // `last=end`: the last piece given to end(), as other Node code does.
      const viaEnd = url.searchParams.get("last") === "end";
      for (let i = 0; i < chunks - (viaEnd ? 1 : 0); i++) {
        if (i === 0) res.flushHeaders();
        res.write(piece(i));
        res.flush?.();
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (viaEnd) res.end(piece(chunks - 1).toString("latin1"), "latin1");
      else res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** An action call as the browser makes it: gzip accepted, the body a JSON array. */
function callAction(size: number, chunks: number, last: "write" | "end" = "write") {
  return fetch(`${base}/models/x?size=${size}&chunks=${chunks}&last=${last}`, {
    method: "POST",
    headers: {
      "Next-Action": "0123abcd",
      "Content-Type": "text/plain;charset=UTF-8",
      "Accept-Encoding": "gzip, deflate",
    },
    body: "[]",
  });
}

describe("a server action's answer", () => {
  it("goes out whole, with its length and not gzipped, while it is under SMALL_ANSWER", async () => {
    for (const size of [0, 200, SMALL_ANSWER - 1]) {
      const response = await callAction(size, 3);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-encoding")).toBeNull();
      expect(response.headers.get("content-length")).toBe(String(size));
      expect(response.headers.get("transfer-encoding")).toBeNull();
      expect(response.headers.get("content-type")).toBe("text/x-component");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(await response.text()).toBe("a".repeat(size));
    }
    // The last piece given to end(), as a string: counted in the length too.
    const ended = await callAction(300, 3, "end");
    expect(ended.headers.get("content-encoding")).toBeNull();
    expect(ended.headers.get("content-length")).toBe("300");
    expect(await ended.text()).toBe("a".repeat(300));
  });

  it("is streamed and gzipped as before from SMALL_ANSWER up, every byte in order", async () => {
    for (const [size, chunks] of [
      [SMALL_ANSWER, 1],
      [SMALL_ANSWER + 1, 2],
      [200_000, 7],
    ] as const) {
      const response = await callAction(size, chunks, size === 200_000 ? "end" : "write");
      expect(response.headers.get("content-encoding")).toBe("gzip");
      expect(response.headers.get("content-length")).toBeNull();
      expect(await response.text()).toBe("a".repeat(size));
    }
  });

  it("leaves every other answer to the compression, small or not", async () => {
    const response = await fetch(`${base}/api/x?size=200&chunks=2`, {
      headers: { "Accept-Encoding": "gzip" },
    });
    expect(response.headers.get("content-encoding")).toBe("gzip");
    expect(await response.text()).toBe("a".repeat(200));
  });
});
