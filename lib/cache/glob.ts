import { displayBytes } from "@/lib/redis/keys";

// SCAN MATCH patterns as the Cache page shows and takes them. Pure: the same functions run in
// unit tests and on the server. Typed text follows lib/keys' typedGlob: `*`, `?`, `[…]` are
// wildcards, `\*` `\?` `\[` `\]` `\\` match the character itself, `\xff` `\n` `\"` are bytes.

const STAR = 0x2a;
const QUESTION = 0x3f;
const BACKSLASH = 0x5c;
const GLOB_META = new Set([STAR, QUESTION, 0x5b, 0x5d, BACKSLASH]);
const WILDCARDS = new Set([STAR, QUESTION, 0x5b]);

/** The typed pattern that matches every key starting with `prefix` (a namespace's flush pattern). */
export function prefixPattern(prefix: Uint8Array): string {
  return `${displayBytes(prefix).replace(/[*?[\]]/g, "\\$&")}*`;
}

/**
 * A glob's bytes as typed text (the inverse of typedGlob): wildcards stay, escaped glob characters
 * keep their backslash, and other bytes show as the console shows keys (`\xff`, `\n`, emoji as is).
 */
export function displayGlob(glob: Uint8Array): string {
  let out = "";
  let literal: number[] = [];
  const flush = () => {
    if (literal.length > 0) out += displayBytes(Buffer.from(literal));
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
 * Whether the glob matches every key (`*`, `**`, `?*` …: only `*` and `?`, at least one `*`).
 * Flushing such a pattern is flushing the database, so it takes the admin role.
 */
export function matchesEverything(glob: Uint8Array): boolean {
  return glob.includes(STAR) && glob.every((byte) => byte === STAR || byte === QUESTION);
}
