import { describe, expect, it } from "vitest";
import { displayBytes, escapeGlob, fromKeyRef, parseDisplayedBytes, toKeyRef } from "@/lib/redis/keys";

const awkward: [string, Buffer][] = [
  ["0xff and NUL", Buffer.from([0xff, 0x00])],
  ["newline", Buffer.from("line1\nline2")],
  ["glob characters", Buffer.from("model:*?[]")],
  ["emoji", Buffer.from("cache:😀:embedding")],
  ["spaces and quotes", Buffer.from('a key "with" spaces')],
  ["backslash", Buffer.from("C:\\path\\x41")],
  ["invalid UTF-8 continuation", Buffer.from([0x61, 0xc3, 0x28, 0x62])],
  ["empty key", Buffer.alloc(0)],
];

describe("key refs", () => {
  it.each(awkward)("round-trips %s through URL-safe base64 without changing a byte", (_name, bytes) => {
    const ref = toKeyRef(bytes);
    expect(ref).toMatch(/^[A-Za-z0-9_-]*$/);
    expect(fromKeyRef(ref)?.equals(bytes)).toBe(true);
  });

  it("refuses refs that are not canonical base64url", () => {
    expect(fromKeyRef("a+b/")).toBeNull();
    expect(fromKeyRef("abc=")).toBeNull();
    expect(fromKeyRef("A")).toBeNull();
    // 'AB' decodes to one byte but re-encodes as 'AA'-style canonical only for some inputs
    expect(fromKeyRef("AB")).toBeNull();
    expect(fromKeyRef("AA")?.equals(Buffer.from([0]))).toBe(true);
  });
});

describe("displayBytes", () => {
  it("escapes what cannot be shown and keeps readable text as it is", () => {
    expect(displayBytes(Buffer.from([0xff, 0x00]))).toBe("\\xff\\x00");
    expect(displayBytes("line1\nline2")).toBe("line1\\nline2");
    expect(displayBytes("model:*?[]")).toBe("model:*?[]");
    expect(displayBytes("cache:😀")).toBe("cache:😀");
    expect(displayBytes('say "hi" \\ bye')).toBe('say \\"hi\\" \\\\ bye');
    expect(displayBytes(Buffer.from([0x61, 0xc3, 0x28]))).toBe("a\\xc3(");
    expect(displayBytes(Buffer.from([0xc2, 0x85]))).toBe("\\xc2\\x85");
  });

  it.each(awkward)("reads back to the same bytes for %s", (_name, bytes) => {
    expect(parseDisplayedBytes(displayBytes(bytes))?.equals(bytes)).toBe(true);
  });

  it("rejects an unknown escape instead of guessing", () => {
    expect(parseDisplayedBytes("bad\\q")).toBeNull();
    expect(parseDisplayedBytes("bad\\x4")).toBeNull();
  });
});

describe("escapeGlob", () => {
  it("escapes every glob metacharacter so a literal prefix matches only itself", () => {
    expect(escapeGlob("a*b?c[d]e\\f")).toBe("a\\*b\\?c\\[d\\]e\\\\f");
    expect(escapeGlob("result:")).toBe("result:");
  });
});
