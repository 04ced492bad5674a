import { mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { claimPort, freePort, PORT_CLAIM_MS } from "@/scripts/lib/redis-server";

// A port the tests' servers were given stays theirs for a while, across processes: a test that
// kills a server must not find another test's server on its port.

describe("claimPort", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "port-claims-"));
  const now = Date.now();

  it("hands a port out once within the window, to any process, and again after it", () => {
    expect(claimPort(40_001, now, dir)).toBe(true);
    expect(claimPort(40_001, now + 1_000, dir)).toBe(false);
    expect(claimPort(40_002, now, dir)).toBe(true);

    const old = (now - PORT_CLAIM_MS - 1_000) / 1_000;
    utimesSync(path.join(dir, "40001"), old, old); // claimed just over the window ago
    expect(claimPort(40_001, now, dir)).toBe(true);
    expect(claimPort(40_001, now, dir)).toBe(false);
  });

  it("does not block when it cannot record a claim", () => {
    const file = path.join(dir, "a-file");
    writeFileSync(file, "");
    expect(claimPort(40_003, now, path.join(file, "claims"))).toBe(true); // a folder under a file
  });
});

describe("freePort", () => {
  it("never hands out the same port twice", async () => {
    const ports = await Promise.all(Array.from({ length: 40 }, () => freePort()));
    expect(new Set(ports).size).toBe(40);
  });
});
