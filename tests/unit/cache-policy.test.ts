import { afterEach, describe, expect, it } from "vitest";
import { hash53, SeenKeys } from "@/lib/cache/count";
import { flushPatternFor, userPattern } from "@/lib/cache/policy";
import { AppError } from "@/lib/errors";

function refusal(run: () => unknown): AppError | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  return undefined;
}

describe("who may flush what", () => {
  afterEach(() => {
    delete process.env.CONSOLE_STATE_PREFIX;
  });

  it("lets an operator flush a namespace pattern, as the bytes SCAN MATCH takes", () => {
    expect(flushPatternFor("result:*", "operator").toString()).toBe("result:*");
    expect(flushPatternFor("a\\*b:*", "operator").toString()).toBe("a\\*b:*");
    expect([...flushPatternFor("\\xff:*", "operator")]).toEqual([0xff, 0x3a, 0x2a]);
  });

  it("refuses the console's own keys, whoever asks", () => {
    expect(refusal(() => flushPatternFor("__console:*", "admin"))?.code).toBe("FORBIDDEN");
    expect(refusal(() => flushPatternFor("__console:audit", "admin"))?.code).toBe("FORBIDDEN");
    process.env.CONSOLE_STATE_PREFIX = "ops:";
    expect(refusal(() => flushPatternFor("ops:history:*", "admin"))?.code).toBe("FORBIDDEN");
    expect(flushPatternFor("__console:*", "admin").toString()).toBe("__console:*");
  });

  it("lets anyone who may dry-run count any pattern but the console's own", () => {
    expect(userPattern("*").toString()).toBe("*");
    expect(refusal(() => userPattern("__console:*"))?.code).toBe("FORBIDDEN");
  });

  it("treats a pattern that matches every key as a database flush: admin only", () => {
    for (const text of ["*", "**", "?*"]) {
      expect(refusal(() => flushPatternFor(text, "operator"))?.code).toBe("FORBIDDEN");
      expect(flushPatternFor(text, "admin").toString()).toBe(text);
    }
  });
});

describe("an exact count's memory of keys seen", () => {
  it("counts a key SCAN returns twice once", () => {
    const seen = new SeenKeys();
    expect(seen.add(Buffer.from("result:1"))).toBe(true);
    expect(seen.add(Buffer.from("result:2"))).toBe(true);
    expect(seen.add(Buffer.from("result:1"))).toBe(false);
  });

  it("hashes bytes, not text, to 53 bits", () => {
    const a = hash53(Buffer.from([0xff, 0x00]));
    expect(a).not.toBe(hash53(Buffer.from([0xfe, 0x00])));
    expect(Number.isSafeInteger(a)).toBe(true);
    const hashes = new Set(Array.from({ length: 100_000 }, (_, i) => hash53(Buffer.from(`k:${i}`))));
    expect(hashes.size).toBe(100_000);
  });
});
