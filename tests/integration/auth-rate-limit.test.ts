import { describe, expect, it } from "vitest";
import { clearFailedSignIns, LIMITS, recordFailedSignIn, signInBlockedFor } from "@/lib/auth/rate-limit";
import { runChildInstance } from "@/tests/helpers/instance";
import { withConsoleRedis } from "@/tests/helpers/redis";

// lib/auth/rate-limit.ts: the sign-in limit, counted in console state so that every console
// instance counts the same failures.
withConsoleRedis();

describe("sign-in rate limit", () => {
  it("blocks a username after its failures and lets it in again when the window passes", async () => {
    const t0 = Date.now();
    for (let i = 0; i < LIMITS.user; i++) {
      expect(await signInBlockedFor("Alice", "10.0.0.1", t0 + i)).toBe(0);
      await recordFailedSignIn("alice", "10.0.0.1", t0 + i);
    }
    expect(await signInBlockedFor("alice", "10.0.0.2", t0 + 10)).toBeGreaterThan(14 * 60 * 1000);
    expect(await signInBlockedFor("alice", "10.0.0.2", t0 + 15 * 60 * 1000 + 10)).toBe(0);
  });

  it("blocks an address that tries many usernames", async () => {
    const t0 = Date.now();
    for (let i = 0; i < LIMITS.address; i++) await recordFailedSignIn(`user${i}`, "10.9.9.9", t0);
    expect(await signInBlockedFor("someone-new", "10.9.9.9", t0 + 1)).toBeGreaterThan(0);
    expect(await signInBlockedFor("someone-new", "10.9.9.10", t0 + 1)).toBe(0);
  });

  it("forgets a user's failures after a successful sign-in", async () => {
    const t0 = Date.now();
    for (let i = 0; i < LIMITS.user; i++) await recordFailedSignIn("bob", `10.1.1.${i}`, t0);
    await clearFailedSignIns("bob");
    expect(await signInBlockedFor("bob", "10.1.1.200", t0 + 1)).toBe(0);
  });

  it("counts the failures another console instance saw", async () => {
    // Four failures on the other instance, one here: the fifth blocks, whichever instance is asked.
    await runChildInstance("fail-sign-ins", `carol,10.2.2.2,${LIMITS.user - 1}`);
    expect(await signInBlockedFor("carol", "10.2.2.3")).toBe(0);
    await recordFailedSignIn("carol", "10.2.2.3");
    expect(await signInBlockedFor("carol", "10.2.2.4")).toBeGreaterThan(14 * 60 * 1000);
  });
});
