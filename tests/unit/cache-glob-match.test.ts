import { describe, expect, it } from "vitest";
import { globMatches, scanMatches } from "@/lib/cache/glob-match";

// Bytes written as latin1 text: "\xff" is the one byte 0xff, as Redis sees it.
const bytes = (text: string) => Buffer.from(text, "latin1");

// [pattern, key, whether Redis' stringmatchlen matches]; tests/integration/cache-glob-match.test.ts
// checks the same port against a real redis-server's SCAN MATCH.
const cases: [pattern: string, key: string, matches: boolean][] = [
  // The examples of the KEYS documentation.
  ["h?llo", "hello", true],
  ["h?llo", "hllo", false],
  ["h*llo", "hllo", true],
  ["h*llo", "heeeello", true],
  ["h[ae]llo", "hallo", true],
  ["h[ae]llo", "hillo", false],
  ["h[^e]llo", "hallo", true],
  ["h[^e]llo", "hello", false],
  ["h[a-b]llo", "hbllo", true],
  ["h[a-b]llo", "hcllo", false],
  // Stars and question marks: `?` is one byte, a star takes any run, even none.
  ["*a*", "banana", true],
  ["*a*", "xyz", false],
  ["a*", "a", true],
  ["**", "", false],
  ["?*", "", false],
  ["?*", "x", true],
  ["???", "abc", true],
  ["???", "abcd", false],
  ["*:tmp", "cache:x:tmp", true],
  ["*:tmp", "cache:x:tmpx", false],
  // Escapes outside a class: the next byte itself; a lone trailing backslash matches a backslash.
  ["\\*", "*", true],
  ["\\*", "a", false],
  ["a\\", "a\\", true],
  ["\\a", "a", true],
  ["a\\?b", "a?b", true],
  ["a\\?b", "axb", false],
  // Classes: negation, ranges with swapped ends, escapes inside, `-` at the edges.
  ["[^\x01]*", "abc", true],
  ["[^\x01]*", "\x01abc", false],
  ["[^\x01]*", "", false],
  ["[a-z]*", "abc", true],
  ["[a-z]*", "Abc", false],
  ["[z-a]x", "mx", true],
  ["[z-a]x", "Mx", false],
  ["[\\]]", "]", true],
  ["[\\\\]", "\\", true],
  ["[a\\-z]", "-", true],
  ["[a\\-z]", "b", false],
  ["[-a]", "-", true],
  ["[\x00]", "\x00", true],
  // An empty class matches nothing; a negated empty one matches any byte.
  ["[]a]", "]a]", false],
  ["[]a]", "a", false],
  ["[^]x", "ax", true],
  ["[^]x", "]x", true],
  // `[a-]b]`: `a-]` is a range (]…a), so the class goes on to the second `]`.
  ["[a-]b]", "b", true],
  ["[a-]b]", "_", true],
  ["[a-]b]", "]", true],
  ["[a-]b]", "-", false],
  ["[a-]b]", "c", false],
  // No closing `]`: the rest of the pattern is the class.
  ["[abc", "a", true],
  ["[abc", "d", false],
  ["[abc", "ab", false],
  ["[^", "x", true],
  ["[", "[", false],
  ["[a-]", "_", true],
  ["[a-]", "-", false],
  // Range ends above 0x7f are negative, as C's signed `char` on x86 makes them.
  ["[a-\xff]", "\xff", true],
  ["[a-\xff]", "\x00", true],
  ["[a-\xff]", "a", true],
  ["[a-\xff]", "b", false],
  ["[a-\xff]", "\x80", false],
  ["[\x00-\xff]*", "\x00x", true],
  ["[\x00-\xff]*", "\xffx", true],
  ["[\x00-\xff]*", "ax", false],
  ["[\x80-\xff]", "\x80", true],
  ["[\x80-\xff]", "\xc3", true],
  ["[\x80-\xff]", "a", false],
  ["[\x7f-\x80]", "a", true],
  ["[\x7f-\x80]", "\xfe", true],
  // Equality ignores the sign: a high byte matches itself, in a class or not.
  ["\xff*", "\xff:1", true],
  ["[\xfe\xff]", "\xff", true],
  ["[\xfe\xff]", "\x7f", false],
];

describe("Redis' glob matcher, ported", () => {
  it.each(cases)("%j against %j: %s", (pattern, key, matches) => {
    expect(globMatches(bytes(pattern), bytes(key))).toBe(matches);
  });

  it("matches UTF-8 keys byte by byte: one `?` is one byte, not one character", () => {
    const key = Buffer.from("cache:😀", "utf8");
    expect(globMatches(Buffer.from("cache:😀*", "utf8"), Buffer.concat([key, bytes(":x")]))).toBe(true);
    expect(globMatches(bytes("cache:?"), key)).toBe(false);
    expect(globMatches(bytes("cache:????"), key)).toBe(true);
  });

  it("takes the empty key only for the pattern `*`, as SCAN does (it skips the matcher for `*`)", () => {
    expect(scanMatches(bytes("*"), bytes(""))).toBe(true);
    expect(globMatches(bytes("*"), bytes(""))).toBe(false);
    expect(scanMatches(bytes("**"), bytes(""))).toBe(false);
    expect(scanMatches(bytes(""), bytes(""))).toBe(true);
    expect(scanMatches(bytes("*"), bytes("anything"))).toBe(true);
  });

  it("answers a pathological pattern at once, like Redis since CVE-2022-36021", () => {
    const pattern = bytes(`${"a*".repeat(40)}b`);
    const began = performance.now();
    expect(globMatches(pattern, bytes("a".repeat(200)))).toBe(false);
    expect(performance.now() - began).toBeLessThan(100);
  });
});
