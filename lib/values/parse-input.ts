// Text a person typed → the exact bytes to store, checked against the value's kind.
// Pure and isomorphic: the edit form validates as you type, and the server action checks again
// with the same rules before anything is written.
import type { ValueKind } from "@/lib/values/types";

export type ParsedInput =
  { ok: true; bytes: Uint8Array; normalized: string } | { ok: false; message: string };

export const KIND_LABELS: Record<ValueKind, string> = {
  integer: "Integer",
  float: "Float",
  boolean: "Boolean",
  json: "JSON",
  text: "Text",
  binary: "Binary (hex)",
  vector: "Vector (float32)",
};

// Kept in step with lib/values/describe.ts, so what is accepted here reads back as the same kind.
const INTEGER = /^-?(0|[1-9]\d*)$/;
const FLOAT = /^-?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
/** describeValue only calls a blob a vector from 8 values up, and only with magnitudes up to 1e12. */
export const VECTOR_MIN_LENGTH = 8;
const VECTOR_MAX_MAGNITUDE = 1e12;

// UTF-8 cannot encode half a surrogate pair; TextEncoder would quietly write U+FFFD instead.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const encoder = new TextEncoder();

function accept(normalized: string): ParsedInput {
  return { ok: true, bytes: encoder.encode(normalized), normalized };
}

function refuse(message: string): ParsedInput {
  return { ok: false, message };
}

/** The user's text, quoted for a message; long input is cut so the message stays readable. */
function quote(text: string): string {
  return `"${text.length > 40 ? `${text.slice(0, 40)}…` : text}"`;
}

/** Messages common to the number kinds, for input that is no number at all. */
function numberProblem(text: string, what: string, example: string): string | null {
  if (text === "") return `Enter ${what}, like ${example}. An empty value is not a number.`;
  if (text.trim() !== text) {
    return `${quote(text)} has spaces at the start or end: remove them and enter just the number, like ${example}.`;
  }
  if (/^[-+]?nan$/i.test(text))
    return `${quote(text)} is not a number you can store: enter ${what}, like ${example}.`;
  if (/^[-+]?(infinity|inf)$/i.test(text)) {
    return `${quote(text)} is not a finite number: enter ${what}, like ${example}.`;
  }
  if (/^[-+]?\d+,\d+$/.test(text)) {
    return `${quote(text)} uses a comma: write decimals with a point, like ${text.replace(",", ".")}.`;
  }
  if (text.startsWith("+")) return `${quote(text)} starts with "+": leave the sign out for positive numbers.`;
  return null;
}

function parseInteger(text: string): ParsedInput {
  const problem = numberProblem(text, "a whole number", "42 or -7");
  if (problem) return refuse(problem);
  if (!INTEGER.test(text)) {
    if (/^-?0\d+$/.test(text)) {
      return refuse(`${quote(text)} has a leading zero: write it as ${text.replace(/^(-?)0+(?=\d)/, "$1")}.`);
    }
    if (FLOAT.test(text)) {
      return refuse(`${quote(text)} is not a whole number: this parameter holds integers, like 42 or -7.`);
    }
    return refuse(
      `${quote(text)} is not a whole number: use digits only, with an optional minus, like 42 or -7.`,
    );
  }
  const value = BigInt(text);
  if (value < INT64_MIN || value > INT64_MAX) {
    return refuse(
      `${quote(text)} is too large: Redis integers are 64-bit, from ${INT64_MIN} to ${INT64_MAX}.`,
    );
  }
  return accept(text);
}

function parseFloatInput(text: string): ParsedInput {
  const problem = numberProblem(text, "a number", "1.5 or -0.02");
  if (problem) return refuse(problem);
  if (!FLOAT.test(text)) {
    if ((text.match(/\./g) ?? []).length > 1) {
      return refuse(
        `${quote(text)} is not a number: use digits with at most one decimal point, like 1.5 or -0.02.`,
      );
    }
    return refuse(
      `${quote(text)} is not a number: use digits, an optional minus and decimal point, and an optional exponent, like 1.5, -0.02 or 1e-3.`,
    );
  }
  if (!Number.isFinite(Number(text))) {
    return refuse(`${quote(text)} is too large to be a finite number: use an exponent of at most 308.`);
  }
  // The text is stored as typed: 1.50 stays 1.50.
  return accept(text);
}

function parseBoolean(text: string): ParsedInput {
  if (text === "") return refuse("Choose true or false. An empty value is not a boolean.");
  if (text.trim() !== text)
    return refuse(`${quote(text)} has spaces at the start or end: enter true or false.`);
  const lower = text.toLowerCase();
  if (lower !== "true" && lower !== "false")
    return refuse(`${quote(text)} is not a boolean: enter true or false.`);
  return accept(lower);
}

function parseJson(text: string): ParsedInput {
  if (text.trim() === "")
    return refuse('Enter JSON, like {"alpha": 0.1} or [1, 2, 3]. An empty value is not JSON.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : "it does not parse";
    return refuse(`This is not valid JSON: ${reason}. Check quotes, commas and brackets.`);
  }
  if (parsed === null || typeof parsed !== "object") {
    return refuse(
      "A JSON value here is an object {…} or an array […]: for a single number, string or boolean, choose that kind instead.",
    );
  }
  return accept(text);
}

function parseBinary(text: string): ParsedInput {
  const trimmed = text.trim();
  if (trimmed === "") return refuse("Enter the bytes as hex, like 0a ff 10. An empty value has no bytes.");
  const groups = trimmed.split(/\s+/);
  const bad = groups.find((group) => !/^[0-9a-fA-F]*$/.test(group));
  if (bad !== undefined) {
    return refuse(
      `${quote(bad)} is not hex: use the digits 0–9 and letters a–f, two per byte, like 0a ff 10.`,
    );
  }
  const odd = groups.find((group) => group.length % 2 !== 0);
  if (odd !== undefined) {
    return refuse(
      `${quote(odd)} has an odd number of hex digits: each byte is two digits, like 0a rather than a.`,
    );
  }
  const digits = groups.join("");
  const bytes = new Uint8Array(digits.length / 2);
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = Number.parseInt(digits.slice(i * 2, i * 2 + 2), 16);
  const normalized = digits.toLowerCase().replace(/(..)(?!$)/g, "$1 ");
  return { ok: true, bytes, normalized };
}

function describeJsonItem(item: unknown): string {
  if (typeof item === "string") return `the text ${quote(item)}`;
  if (Array.isArray(item)) return "an array";
  if (item === null) return "null";
  if (typeof item === "object") return "an object";
  return String(item);
}

function parseVector(text: string): ParsedInput {
  const example = "[0.12, -0.5, 1.0, …]";
  if (text.trim() === "") return refuse(`Enter the vector as a JSON array of numbers, like ${example}.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return refuse(`This is not a JSON array of numbers: write it in square brackets, like ${example}.`);
  }
  if (!Array.isArray(parsed)) {
    return refuse(`A vector is a JSON array of numbers in square brackets, like ${example}.`);
  }
  if (parsed.length === 0) return refuse("The array is empty: a vector needs at least one value.");
  const values: number[] = [];
  for (const [index, item] of parsed.entries()) {
    if (typeof item !== "number") {
      return refuse(
        `Item ${index + 1} is ${describeJsonItem(item)}, not a number: a vector holds numbers only.`,
      );
    }
    if (Math.abs(item) > VECTOR_MAX_MAGNITUDE) {
      return refuse(`Item ${index + 1} (${item}) is too large: vector values must lie within ±1e12.`);
    }
    values.push(item);
  }
  if (values.length < VECTOR_MIN_LENGTH) {
    return refuse(
      `A vector needs at least ${VECTOR_MIN_LENGTH} values to be stored as float32 (this one has ${values.length}).`,
    );
  }
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((value, index) => view.setFloat32(index * 4, value, true));
  return { ok: true, bytes, normalized: JSON.stringify(values) };
}

/**
 * Checks `text` as a value of `kind` and returns the bytes to write, or a message for the person who
 * typed it. Nothing is trimmed or coerced silently: `normalized` differs from `text` only where the
 * stored form is canonical (booleans in lower case, hex in byte pairs, vectors as compact JSON).
 */
export function parseTypedInput(text: string, kind: ValueKind): ParsedInput {
  switch (kind) {
    case "integer":
      return parseInteger(text);
    case "float":
      return parseFloatInput(text);
    case "boolean":
      return parseBoolean(text);
    case "json":
      return parseJson(text);
    case "text":
      return LONE_SURROGATE.test(text)
        ? refuse("The text holds a broken character (half of a surrogate pair): retype or paste it again.")
        : accept(text);
    case "binary":
      return parseBinary(text);
    case "vector":
      return parseVector(text);
  }
}

/** The kind a new field's value is most likely meant as, for the "add field" form's first guess. */
export function inferKindForNewValue(text: string): ValueKind {
  if (parseInteger(text).ok) return "integer";
  if (parseFloatInput(text).ok) return "float";
  if (text === "true" || text === "false") return "boolean";
  const trimmed = text.trim();
  if ((trimmed.startsWith("{") || trimmed.startsWith("[")) && parseJson(text).ok) return "json";
  return "text";
}
