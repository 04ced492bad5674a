import { describe, expect, it } from "vitest";
import { displayGlob, hasLiteralPart, literalPrefix, prefixPattern } from "@/lib/cache/glob";
import { escapeGlobBytes, typedGlob } from "@/lib/redis/keys";

const awkwardPrefixes: [string, Buffer][] = [
  ["plain", Buffer.from("result:")],
  ["glob characters", Buffer.from("a*b?[c]:")],
  ["backslash", Buffer.from("C:\\path\\x41:")],
  ["quote and newline", Buffer.from('say "hi"\n:')],
  ["invalid UTF-8 and NUL", Buffer.from([0xff, 0x00, 0x3a])],
  ["emoji", Buffer.from("cache:😀:")],
];

describe("a namespace's flush pattern", () => {
  it.each(awkwardPrefixes)("matches exactly the keys under a %s prefix when typed back", (_name, prefix) => {
    const typed = prefixPattern(prefix);
    expect(typedGlob(typed).equals(Buffer.concat([escapeGlobBytes(prefix), Buffer.from("*")]))).toBe(true);
  });

  it("reads as the prefix the page shows, with a star", () => {
    expect(prefixPattern(Buffer.from("result:"))).toBe("result:*");
    expect(prefixPattern(Buffer.from("a*b:"))).toBe("a\\*b:*");
    expect(prefixPattern(Buffer.from([0xff, 0x3a]))).toBe("\\xff:*");
  });
});

describe("showing a glob", () => {
  it.each(["result:*", "a\\*b?[xy]*", "\\xff\\n:*", "C:\\\\path*", 'say "hi"*', "cache:😀:*"])(
    "shows %j as it was typed",
    (text) => {
      expect(displayGlob(typedGlob(text))).toBe(text);
    },
  );

  it("drops escapes that change nothing, keeping the same matches", () => {
    expect(displayGlob(Buffer.from("\\a\\b*"))).toBe("ab*");
  });
});

describe("pattern facts", () => {
  it("finds the literal prefix every match starts with", () => {
    expect(literalPrefix(typedGlob("__console:*")).toString()).toBe("__console:");
    expect(literalPrefix(typedGlob("a\\*b*c")).toString()).toBe("a*b");
    expect(literalPrefix(typedGlob("x?y")).toString()).toBe("x");
    expect(literalPrefix(typedGlob("exact")).toString()).toBe("exact");
  });

  it("finds a literal part by what the pattern matches, not by how it looks", () => {
    for (const text of [
      "*",
      "**",
      "?*",
      "*?*",
      "???",
      "[^\\x01]*",
      "[a-z]*",
      "[\\x00-\\xff]*",
      "[abc",
      "[^",
      "[a-]b]",
    ]) {
      expect(hasLiteralPart(typedGlob(text)), text).toBe(false);
    }
    for (const text of [
      "result:*",
      "cache:*:tmp",
      "*:tmp",
      "\\*",
      "\\[a]*",
      "[a]b*",
      "a",
      "]*",
      "*\\",
      "\\xff*",
    ]) {
      expect(hasLiteralPart(typedGlob(text)), text).toBe(true);
    }
  });

  it("reads a class as Redis does: `[a-]b]` is one class, `[\\]]x` ends at the second `]`", () => {
    expect(hasLiteralPart(Buffer.from("[a-]b]"))).toBe(false);
    expect(hasLiteralPart(Buffer.from("[a-]b]c"))).toBe(true);
    expect(hasLiteralPart(Buffer.from("[\\]]*"))).toBe(false);
    expect(hasLiteralPart(Buffer.from("[\\]]x"))).toBe(true);
  });
});
