import { afterEach, describe, expect, it } from "vitest";
import { hash53, SeenKeys } from "@/lib/cache/count";
import { flushablePattern, userPattern } from "@/lib/cache/policy";
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
    expect(flushablePattern("result:*", "operator").toString()).toBe("result:*");
    expect(flushablePattern("a\\*b:*", "operator").toString()).toBe("a\\*b:*");
    expect([...flushablePattern("\\xff:*", "operator")]).toEqual([0xff, 0x3a, 0x2a]);
  });

  it("refuses the console's own keys, whoever asks", () => {
    expect(refusal(() => flushablePattern("__console:*", "admin"))?.code).toBe("FORBIDDEN");
    expect(refusal(() => flushablePattern("__console:audit", "admin"))?.code).toBe("FORBIDDEN");
    process.env.CONSOLE_STATE_PREFIX = "ops:";
    expect(refusal(() => flushablePattern("ops:history:*", "admin"))?.code).toBe("FORBIDDEN");
    expect(flushablePattern("__console:*", "admin").toString()).toBe("__console:*");
  });

  it("lets anyone who may dry-run count any pattern but the console's own", () => {
    expect(userPattern("*").toString()).toBe("*");
    expect(refusal(() => userPattern("__console:*"))?.code).toBe("FORBIDDEN");
  });

  it("refuses an operator a pattern without a literal part, however harmless it looks", () => {
    for (const text of ["*", "**", "?*", "[^\\x01]*", "[\\x00-\\xff]*", "[a-z]*", "???"]) {
      const refused = refusal(() => flushablePattern(text, "operator"));
      expect(refused?.code, text).toBe("FORBIDDEN");
      expect(refused?.message).toContain("needs a literal part, such as a namespace (`result:*`)");
      expect(refused?.message).toContain("flushing the whole database needs the admin role");
      // An admin gets past the text; the flush then asks for the database's name (flushPatternFor).
      expect(flushablePattern(text, "admin").equals(userPattern(text))).toBe(true);
    }
  });

  it("lets an operator flush any pattern with a literal part, a literal star included", () => {
    expect(flushablePattern("cache:*:tmp", "operator").toString()).toBe("cache:*:tmp");
    expect(flushablePattern("*:tmp", "operator").toString()).toBe("*:tmp");
    expect(flushablePattern("\\*", "operator").toString()).toBe("\\*");
    expect(flushablePattern("\\**", "operator").toString()).toBe("\\**");
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
