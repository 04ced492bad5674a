import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { scanMatches } from "@/lib/cache/glob-match";
import {
  displayBytes,
  escapeGlob,
  fromKeyRef,
  parseDisplayedBytes,
  toKeyRef,
  typedGlob,
} from "@/lib/redis/keys";

const awkward: [string, Buffer][] = [
  ["0xff and NUL", Buffer.from([0xff, 0x00])],
  ["newline", Buffer.from("line1\nline2")],
  ["glob characters", Buffer.from("model:*?[]")],
  ["emoji", Buffer.from("cache:😀:embedding")],
  ["spaces and quotes", Buffer.from('a key "with" spaces')],
  ["backslash", Buffer.from("C:\\path\\x41")],
  ["backslash before an escape letter, a quote, a star and the end", Buffer.from('a\\nb\\"c\\*d\\')],
  ["backslash before a byte shown escaped", Buffer.from([0x5c, 0xff, 0x5c, 0x0a])],
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
    expect(displayBytes(Buffer.from([0x61, 0xc3, 0x28]))).toBe("a\\xc3(");
    expect(displayBytes(Buffer.from([0xc2, 0x85]))).toBe("\\xc2\\x85");
  });

  it('shows quotes and markup as they are, never as \\"', () => {
    expect(displayBytes('<img src=x onerror="alert(1)">')).toBe('<img src=x onerror="alert(1)">');
    expect(displayBytes('result:{"x": 5}')).toBe('result:{"x": 5}');
  });

  it("doubles a backslash only where it would read as an escape", () => {
    expect(displayBytes("C:\\models\\churn")).toBe("C:\\models\\churn");
    expect(displayBytes("C:\\models\\new")).toBe("C:\\models\\\\new");
    expect(displayBytes("a\\*")).toBe("a\\\\*");
    expect(displayBytes("end\\")).toBe("end\\");
    expect(displayBytes(Buffer.from([0x5c, 0xff]))).toBe("\\\\\\xff");
  });

  it.each(awkward)("reads back to the same bytes for %s", (_name, bytes) => {
    expect(parseDisplayedBytes(displayBytes(bytes))?.equals(bytes)).toBe(true);
  });

  it("reads any bytes back from how they are shown, and a shown name as a pattern finds exactly that key", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (raw) => {
        const bytes = Buffer.from(raw);
        const shown = displayBytes(bytes);
        expect(parseDisplayedBytes(shown).equals(bytes)).toBe(true);
        // Typed into the keys browser as shown, a name without glob characters finds that key.
        if (!bytes.some((byte) => "*?[]".includes(String.fromCharCode(byte)))) {
          expect(scanMatches(typedGlob(shown), bytes)).toBe(true);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it("takes a backslash before anything that is not an escape as itself", () => {
    expect(parseDisplayedBytes("C:\\models").toString()).toBe("C:\\models");
    expect(parseDisplayedBytes("bad\\x4").toString()).toBe("bad\\x4");
    expect(parseDisplayedBytes('say \\"hi\\"').toString()).toBe('say "hi"');
  });
});

describe("escapeGlob", () => {
  it("escapes every glob metacharacter so a literal prefix matches only itself", () => {
    expect(escapeGlob("a*b?c[d]e\\f")).toBe("a\\*b\\?c\\[d\\]e\\\\f");
    expect(escapeGlob("result:")).toBe("result:");
  });
});
