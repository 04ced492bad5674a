import { describe, expect, it } from "vitest";
import { clearFailedSignIns, LIMITS, recordFailedSignIn, signInBlockedFor } from "@/lib/auth/rate-limit";

describe("sign-in rate limit", () => {
  it("blocks a username after its failures and lets it in again when the window passes", () => {
    const t0 = 1_000_000;
    for (let i = 0; i < LIMITS.user; i++) {
      expect(signInBlockedFor("Alice", "10.0.0.1", t0 + i)).toBe(0);
      recordFailedSignIn("alice", "10.0.0.1", t0 + i);
    }
    expect(signInBlockedFor("alice", "10.0.0.2", t0 + 10)).toBeGreaterThan(14 * 60 * 1000);
    expect(signInBlockedFor("alice", "10.0.0.2", t0 + 15 * 60 * 1000 + 10)).toBe(0);
  });

  it("blocks an address that tries many usernames", () => {
    const t0 = 5_000_000;
    for (let i = 0; i < LIMITS.address; i++) recordFailedSignIn(`user${i}`, "10.9.9.9", t0);
    expect(signInBlockedFor("someone-new", "10.9.9.9", t0 + 1)).toBeGreaterThan(0);
    expect(signInBlockedFor("someone-new", "10.9.9.10", t0 + 1)).toBe(0);
  });

  it("forgets a user's failures after a successful sign-in", () => {
    const t0 = 9_000_000;
    for (let i = 0; i < LIMITS.user; i++) recordFailedSignIn("bob", `10.1.1.${i}`, t0);
    clearFailedSignIns("bob");
    expect(signInBlockedFor("bob", "10.1.1.200", t0 + 1)).toBe(0);
  });
});
