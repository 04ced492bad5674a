// Redis' own glob matcher, `stringmatchlen` in src/util.c, ported byte for byte so the console can
// tell which keys a SCAN MATCH pattern takes without asking Redis (the flush precheck decides from
// it whether a pattern leaves any user key standing). Pure, over bytes. Its quirks are Redis' and
// stay: a `-` range whose ends are swapped still works, `[a-]` runs past the `]`, a `[` without
// its `]` takes the rest of the pattern as the class, a lone trailing `\` matches a backslash.
// Case-sensitive only: SCAN, KEYS and the flush never ask for `nocase`.

const STAR = 0x2a;
const QUESTION = 0x3f;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const CARET = 0x5e;
const DASH = 0x2d;
const BACKSLASH = 0x5c;

/** Redis 7.2.5+ gives up past this depth (CVE-2024-31228); a 1,024-character pattern never gets there. */
const MAX_NESTING = 1_000;

/**
 * A byte as Redis' C code reads it: `char` is signed on x86 and ARM Linux builds of Redis, so a
 * range end above 0x7f is negative (`[a-\xff]` is `[\xff-a]` once swapped: 0xff and 0x00…0x61,
 * not 0x61…0xff). Only the range comparison sees the sign; equality does not.
 */
function signedChar(byte: number): number {
  return byte > 0x7f ? byte - 0x100 : byte;
}

interface MatchState {
  /** Redis' `skipLongerMatches`: once the rest after a `*` fails everywhere, earlier stars cannot help. */
  skipLongerMatches: boolean;
}

/** `stringmatchlen(pattern, key, nocase = 0)`: whether the glob matches the key, as Redis decides. */
export function globMatches(pattern: Uint8Array, key: Uint8Array): boolean {
  return matchFrom(pattern, 0, key, 0, { skipLongerMatches: false }, 0);
}

/**
 * What SCAN MATCH (and so a flush) takes: SCAN skips the matcher for the one pattern `*`, which
 * then takes the empty key too, while `**` does not.
 */
export function scanMatches(pattern: Uint8Array, key: Uint8Array): boolean {
  if (pattern.length === 1 && pattern[0] === STAR) return true;
  return globMatches(pattern, key);
}

function matchFrom(
  pattern: Uint8Array,
  p: number,
  key: Uint8Array,
  s: number,
  state: MatchState,
  nesting: number,
): boolean {
  if (nesting > MAX_NESTING) return false;
  // Redis' patterns end with a NUL (sds), which the C code reads one past the end at times.
  const at = (i: number) => (i < pattern.length ? pattern[i]! : 0);
  while (p < pattern.length && s < key.length) {
    switch (pattern[p]) {
      case STAR: {
        while (p < pattern.length && at(p + 1) === STAR) p++;
        if (pattern.length - p === 1) return true;
        while (s < key.length) {
          if (matchFrom(pattern, p + 1, key, s, state, nesting + 1)) return true;
          if (state.skipLongerMatches) return false;
          s++;
        }
        state.skipLongerMatches = true;
        return false;
      }
      case QUESTION:
        s++;
        break;
      case OPEN: {
        p++;
        const not = at(p) === CARET;
        if (not) p++;
        const byte = key[s]!;
        let match = false;
        for (;;) {
          const left = pattern.length - p;
          if (at(p) === BACKSLASH && left >= 2) {
            p++;
            if (pattern[p] === byte) match = true;
          } else if (at(p) === CLOSE) {
            break;
          } else if (left === 0) {
            // No `]`: the class ran to the end of the pattern; step back so the loop below ends.
            p--;
            break;
          } else if (left >= 3 && pattern[p + 1] === DASH) {
            let start = signedChar(pattern[p]!);
            let end = signedChar(pattern[p + 2]!);
            if (start > end) [start, end] = [end, start];
            p += 2;
            const c = signedChar(byte);
            if (c >= start && c <= end) match = true;
          } else if (pattern[p] === byte) {
            match = true;
          }
          p++;
        }
        if (not) match = !match;
        if (!match) return false;
        s++;
        break;
      }
      case BACKSLASH:
        if (pattern.length - p >= 2) p++;
      // falls through: the escaped byte matches itself
      default:
        if (pattern[p] !== key[s]) return false;
        s++;
        break;
    }
    p++;
    if (s === key.length) {
      while (at(p) === STAR) p++;
      break;
    }
  }
  return p === pattern.length && s === key.length;
}
