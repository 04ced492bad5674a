import { describe, expect, it, vi } from "vitest";

const written: { detail?: string; address?: string }[] = [];
vi.mock("@/lib/audit", () => ({
  writeAudit: async (entry: { detail?: string; address?: string }) => void written.push(entry),
}));

const { auditRefusal, REFUSALS_PER_MINUTE } = await import("@/lib/auth/refusals");

describe("refused attempts in the audit log", () => {
  it("records at most a minute's cap per address, says so at the cap, and starts again next minute", async () => {
    const t0 = 60_000 * 1_000;
    for (let i = 0; i < 100; i++) {
      await auditRefusal(
        { action: "request.refused", user: "x", address: "203.0.113.7", detail: "FORBIDDEN" },
        t0 + i,
      );
    }
    await auditRefusal(
      { action: "request.refused", user: "x", address: "198.51.100.1", detail: "FORBIDDEN" },
      t0,
    );
    const flood = written.filter((entry) => entry.address === "203.0.113.7");
    expect(flood).toHaveLength(REFUSALS_PER_MINUTE);
    expect(flood.at(-1)!.detail).toMatch(/further refusals from 203.0.113.7 this minute are not recorded/);
    expect(written.filter((entry) => entry.address === "198.51.100.1")).toHaveLength(1);
    await auditRefusal(
      { action: "request.refused", user: "x", address: "203.0.113.7", detail: "FORBIDDEN" },
      t0 + 60_000,
    );
    expect(written.filter((entry) => entry.address === "203.0.113.7")).toHaveLength(REFUSALS_PER_MINUTE + 1);
  });
});
