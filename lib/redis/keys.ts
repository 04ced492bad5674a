// Redis keys are bytes (DESIGN.md contract 1). In URLs and JSON a key travels as the base64url
// of its bytes ("key ref"); on screen it is text with non-printable bytes escaped.
// Pure functions (Node Buffers), unit-tested over awkward bytes.

const KEY_REF_PATTERN = /^[A-Za-z0-9_-]*$/;

export function toKeyRef(key: Uint8Array | string): string {
  const bytes = typeof key === "string" ? Buffer.from(key, "utf8") : Buffer.from(key);
  return bytes.toString("base64url");
}

/** Decodes a key ref; returns null when the text is not canonical base64url, so bad links fail loudly. */
export function fromKeyRef(ref: string): Buffer | null {
  if (!KEY_REF_PATTERN.test(ref) || ref.length % 4 === 1) return null;
  const bytes = Buffer.from(ref, "base64url");
  // Buffer.from ignores trailing garbage bits; round-trip to refuse non-canonical refs.
  return bytes.toString("base64url") === ref ? bytes : null;
}

const NAMED_ESCAPES: Record<number, string> = {
  0x0a: "\\n",
  0x0d: "\\r",
  0x09: "\\t",
};

const BACKSLASH = 0x5c;

/**
 * What may follow a backslash in typed text and change its meaning: an escape (`\\`, `\n`, `\r`,
 * `\t`, `\xff`, `\"`) or a glob character (`\*`, `\?`, `\[`, `\]`). A backslash the name holds
 * before one of these is shown doubled; before anything else it is shown as it is.
 */
const AMBIGUOUS_AFTER_BACKSLASH = new Set([...'\\nrtx"*?[]'].map((c) => c.charCodeAt(0)));

/** Whether what `at` shows cannot be read together with a backslash before it as an escape. */
function plainAfterBackslash(bytes: Buffer, at: number): boolean {
  const next = bytes[at];
  if (next === undefined) return true;
  if (next >= 0x20 && next < 0x7f) return !AMBIGUOUS_AFTER_BACKSLASH.has(next);
  // Shown as itself (printable UTF-8), or as an escape that starts with a backslash of its own.
  return utf8SequenceLength(bytes, at) > 1;
}

/**
 * Shows bytes as text: printable UTF-8 stays as it is (quotes, emoji and `<img …>` included),
 * while control bytes and invalid sequences are escaped (`\xff`, `\n`), and a backslash only
 * where it would be read as an escape (`\\n` is a backslash and an n). The result reads back to
 * the same bytes (parseDisplayedBytes, and typedGlob as a pattern naming just that key).
 * `allBackslashes` doubles every backslash, for text that is glued to glob syntax (displayGlob).
 */
export function displayBytes(input: Uint8Array | string, options: { allBackslashes?: boolean } = {}): string {
  const bytes = typeof input === "string" ? Buffer.from(input, "utf8") : Buffer.from(input);
  let out = "";
  let i = 0;
  while (i < bytes.length) {
    const byte = bytes[i]!;
    if (byte === BACKSLASH) {
      const ambiguous = options.allBackslashes || !plainAfterBackslash(bytes, i + 1);
      out += ambiguous ? "\\\\" : "\\";
      i += 1;
      continue;
    }
    const named = NAMED_ESCAPES[byte];
    if (named) {
      out += named;
      i += 1;
      continue;
    }
    if (byte >= 0x20 && byte < 0x7f) {
      out += String.fromCharCode(byte);
      i += 1;
      continue;
    }
    const length = utf8SequenceLength(bytes, i);
    if (length > 1) {
      out += bytes.subarray(i, i + length).toString("utf8");
      i += length;
      continue;
    }
    out += `\\x${byte.toString(16).padStart(2, "0")}`;
    i += 1;
  }
  return out;
}

/** Length of a valid, printable multi-byte UTF-8 sequence at `start`, or 0. */
function utf8SequenceLength(bytes: Buffer, start: number): number {
  const lead = bytes[start]!;
  let length: number;
  let min: number;
  if (lead >= 0xc2 && lead <= 0xdf) [length, min] = [2, 0x80];
  else if (lead >= 0xe0 && lead <= 0xef) [length, min] = [3, 0x800];
  else if (lead >= 0xf0 && lead <= 0xf4) [length, min] = [4, 0x10000];
  else return 0;
  if (start + length > bytes.length) return 0;
  let codePoint = lead & (0xff >> (length + 1));
  for (let k = 1; k < length; k++) {
    const next = bytes[start + k]!;
    if ((next & 0xc0) !== 0x80) return 0;
    codePoint = (codePoint << 6) | (next & 0x3f);
  }
  if (codePoint < min || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return 0;
  // C1 controls and line/paragraph separators would render invisibly or break lines.
  if (codePoint < 0xa0 || codePoint === 0x2028 || codePoint === 0x2029) return 0;
  return length;
}

/**
 * Inverse of displayBytes, for keys a person types or pastes as shown: `\\`, `\n`, `\r`, `\t`,
 * `\"` and `\xff` are escapes; a backslash before anything else is itself (`C:\models`).
 */
export function parseDisplayedBytes(text: string): Buffer {
  const chunks: Buffer[] = [];
  let literal = "";
  const flush = () => {
    if (literal) chunks.push(Buffer.from(literal, "utf8"));
    literal = "";
  };
  const simple: Record<string, string> = { "\\": "\\", n: "\n", r: "\r", t: "\t", '"': '"' };
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char !== "\\") {
      literal += char;
      continue;
    }
    const next = text[i + 1];
    if (next !== undefined && simple[next] !== undefined) {
      literal += simple[next];
      i += 1;
    } else if (next === "x" && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 2, i + 4))) {
      flush();
      chunks.push(Buffer.from([parseInt(text.slice(i + 2, i + 4), 16)]));
      i += 3;
    } else {
      literal += char;
    }
  }
  flush();
  return Buffer.concat(chunks);
}

/**
 * The bytes a typed name stands for: escapes as the console shows them (`\xff`, `\n`, `\\`) when
 * the text reads as such, else the text as UTF-8 — so a name copied from the page round-trips.
 */
export function typedBytes(text: string): Buffer {
  return parseDisplayedBytes(text) ?? Buffer.from(text, "utf8");
}

/** Escapes glob metacharacters so a literal prefix can head a SCAN MATCH pattern. */
export function escapeGlob(literal: string): string {
  return literal.replace(/[\\*?[\]]/g, (char) => `\\${char}`);
}

const GLOB_BYTES = new Set([0x5c, 0x2a, 0x3f, 0x5b, 0x5d]);

/** escapeGlob for names that are bytes, not text (binary keys stay exact). */
export function escapeGlobBytes(literal: Uint8Array): Buffer {
  const out: number[] = [];
  for (const byte of literal) {
    if (GLOB_BYTES.has(byte)) out.push(0x5c);
    out.push(byte);
  }
  return Buffer.from(out);
}

const TYPED_ESCAPES: Record<string, number> = { n: 0x0a, r: 0x0d, t: 0x09, '"': 0x22 };
const GLOB_CHARS = new Set(["\\", "*", "?", "[", "]"]);

/**
 * A glob as a person types it, as bytes for SCAN MATCH. Unescaped `*`, `?`, `[…]` are wildcards;
 * `\*`, `\?`, `\[`, `\]`, `\\` match the character itself (glob escapes); `\xff`, `\n`, `\r`,
 * `\t`, `\"` are bytes written as the console displays keys, and match literally too; a backslash
 * before anything else is a backslash, so a key name pasted as shown (`C:\models`) finds that key.
 */
export function typedGlob(text: string): Buffer {
  const chars = Array.from(text);
  const out: number[] = [];
  const literal = (byte: number) => {
    if (GLOB_BYTES.has(byte)) out.push(0x5c);
    out.push(byte);
  };
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i]!;
    const next = chars[i + 1];
    const hex = chars.slice(i + 2, i + 4).join("");
    if (char !== "\\") {
      out.push(...Buffer.from(char, "utf8"));
    } else if (next === undefined) {
      literal(0x5c);
    } else if (TYPED_ESCAPES[next] !== undefined) {
      literal(TYPED_ESCAPES[next]);
      i += 1;
    } else if (next === "x" && /^[0-9a-fA-F]{2}$/.test(hex)) {
      literal(parseInt(hex, 16));
      i += 3;
    } else if (GLOB_CHARS.has(next)) {
      out.push(0x5c, ...Buffer.from(next, "utf8"));
      i += 1;
    } else {
      literal(0x5c);
    }
  }
  return Buffer.from(out);
}

/** The one key a glob can match when it has no wildcard, else null. */
export function literalOfGlob(glob: Buffer): Buffer | null {
  const out: number[] = [];
  for (let i = 0; i < glob.length; i++) {
    const byte = glob[i]!;
    if (byte === 0x5c && i + 1 < glob.length) {
      i += 1;
      out.push(glob[i]!);
    } else if (byte === 0x2a || byte === 0x3f || byte === 0x5b) {
      return null;
    } else {
      out.push(byte);
    }
  }
  return Buffer.from(out);
}
