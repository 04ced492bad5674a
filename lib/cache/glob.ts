import { displayBytes } from "@/lib/redis/keys";

// SCAN MATCH patterns as the Cache page shows and takes them. Pure: the same functions run in
// unit tests and on the server. Typed text follows lib/keys' typedGlob: `*`, `?`, `[…]` are
// wildcards, `\*` `\?` `\[` `\]` `\\` match the character itself, `\xff` `\n` `\"` are bytes.
// Shown patterns double every backslash, so text and wildcards never run together ambiguously.

const STAR = 0x2a;
const QUESTION = 0x3f;
const BACKSLASH = 0x5c;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const CARET = 0x5e;
const DASH = 0x2d;
const GLOB_META = new Set([STAR, QUESTION, OPEN, CLOSE, BACKSLASH]);
const WILDCARDS = new Set([STAR, QUESTION, OPEN]);

/** The typed pattern that matches every key starting with `prefix` (a namespace's flush pattern). */
export function prefixPattern(prefix: Uint8Array): string {
  return `${displayBytes(prefix, { allBackslashes: true }).replace(/[*?[\]]/g, "\\$&")}*`;
}

/**
 * A glob's bytes as typed text (the inverse of typedGlob): wildcards stay, escaped glob characters
 * keep their backslash, and other bytes show as the console shows keys (`\xff`, `\n`, emoji as is).
 */
export function displayGlob(glob: Uint8Array): string {
  let out = "";
  let literal: number[] = [];
  const flush = () => {
    if (literal.length > 0) out += displayBytes(Buffer.from(literal), { allBackslashes: true });
    literal = [];
  };
  for (let i = 0; i < glob.length; i++) {
    const byte = glob[i]!;
    if (byte === BACKSLASH && i + 1 < glob.length) {
      const next = glob[++i]!;
      if (!GLOB_META.has(next)) {
        literal.push(next);
        continue;
      }
      flush();
      out += `\\${String.fromCharCode(next)}`;
    } else if (GLOB_META.has(byte)) {
      flush();
      // A trailing lone backslash matches a backslash; `\\` says so unambiguously.
      out += byte === BACKSLASH ? "\\\\" : String.fromCharCode(byte);
    } else {
      literal.push(byte);
    }
  }
  flush();
  return out;
}

/** The bytes every matching key starts with: the glob up to its first wildcard, unescaped. */
export function literalPrefix(glob: Uint8Array): Buffer {
  const out: number[] = [];
  for (let i = 0; i < glob.length; i++) {
    const byte = glob[i]!;
    if (byte === BACKSLASH && i + 1 < glob.length) out.push(glob[++i]!);
    else if (WILDCARDS.has(byte)) break;
    else out.push(byte);
  }
  return Buffer.from(out);
}

/**
 * Whether the glob has a literal part: a byte outside `*`, `?` and `[…]` classes, which every
 * matching key must hold (`result:*`, `*:tmp`, `\*`). Without one a pattern names no namespace and
 * may match every key (`*`, `?*`, `[^\x01]*`, `[a-z]*`), whatever its text looks like. Classes are
 * read as Redis reads them (lib/cache/glob-match), quirks included: `[a-]b]` is one class.
 */
export function hasLiteralPart(glob: Uint8Array): boolean {
  for (let i = 0; i < glob.length; i++) {
    const byte = glob[i]!;
    if (byte === OPEN) i = classEnd(glob, i);
    // Anything else, a `\`-escaped byte or a lone trailing `\` included, matches one byte exactly.
    else if (byte !== STAR && byte !== QUESTION) return true;
  }
  return false;
}

/** Where the class opened at `open` ends: its `]`, or the pattern's last byte when it has none. */
function classEnd(glob: Uint8Array, open: number): number {
  let i = open + 1;
  if (glob[i] === CARET) i++;
  for (;;) {
    const left = glob.length - i;
    if (glob[i] === BACKSLASH && left >= 2) i += 2;
    else if (glob[i] === CLOSE) return i;
    else if (left === 0) return glob.length - 1;
    else if (left >= 3 && glob[i + 1] === DASH) i += 3;
    else i += 1;
  }
}
