// Text a person typed → the exact bytes to store, checked against the value's kind.
// Pure and isomorphic: the edit form validates as you type, and the server action checks again
// with the same rules before anything is written. A refusal is a message key of `values.input`
// with its values, so the form says it in the reader's language; `message` is the English text.
import { createTranslator } from "use-intl/core";
import en from "@/lib/i18n/messages/en.json";
import type { ValueKind } from "@/lib/values/types";

export type InputProblemKey = keyof typeof en.values.input;
export type InputProblemValues = Record<string, string | number>;

export type ParsedInput =
  | { ok: true; bytes: Uint8Array; normalized: string }
  | { ok: false; key: InputProblemKey; values: InputProblemValues; message: string };

/** English names of the kinds, for logs and tests; the form shows `values.kinds` in its language. */
export const KIND_LABELS: Record<ValueKind, string> = en.values.kinds;

// Kept in step with lib/values/describe.ts, so what is accepted here reads back as the same kind.
const INTEGER = /^-?(0|[1-9]\d*)$/;
const FLOAT = /^-?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
/** describeValue only calls a blob a vector from 8 values up, and only with magnitudes up to 1e12. */
export const VECTOR_MIN_LENGTH = 8;
const VECTOR_MAX_MAGNITUDE = 1e12;
const VECTOR_EXAMPLE = "[0.12, -0.5, 1.0, …]";

// UTF-8 cannot encode half a surrogate pair; TextEncoder would quietly write U+FFFD instead.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const encoder = new TextEncoder();
const english = createTranslator({ locale: "en", messages: en, namespace: "values.input" });

/** The tags of `values.input` messages (typed data, code), as plain text. */
const PLAIN_TAGS = { data: (chunks: string) => chunks, code: (chunks: string) => chunks };

function accept(normalized: string): ParsedInput {
  return { ok: true, bytes: encoder.encode(normalized), normalized };
}

function refuse(key: InputProblemKey, values: InputProblemValues = {}): ParsedInput {
  const markup = english.markup as unknown as (key: string, values: Record<string, unknown>) => string;
  const message = markup(key, { ...values, ...PLAIN_TAGS });
  return { ok: false, key, values, message };
}

/** The user's text for a message; long input is cut so the message stays readable. */
function quote(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** Refusals common to the number kinds, for input that is no number at all. */
function numberProblem(text: string, kind: "integer" | "float"): ParsedInput | null {
  const input = quote(text);
  if (text === "") return refuse("numberEmpty", { kind });
  if (text.trim() !== text) return refuse("numberSpaces", { kind, input });
  if (/^[-+]?nan$/i.test(text)) return refuse("numberNaN", { kind, input });
  if (/^[-+]?(infinity|inf)$/i.test(text)) return refuse("numberInfinite", { kind, input });
  if (/^[-+]?\d+,\d+$/.test(text)) return refuse("numberComma", { input, fixed: text.replace(",", ".") });
  if (text.startsWith("+")) return refuse("numberPlus", { input });
  return null;
}

function parseInteger(text: string): ParsedInput {
  const problem = numberProblem(text, "integer");
  if (problem) return problem;
  const input = quote(text);
  if (!INTEGER.test(text)) {
    if (/^-?0\d+$/.test(text)) {
      return refuse("integerLeadingZero", { input, fixed: text.replace(/^(-?)0+(?=\d)/, "$1") });
    }
    if (FLOAT.test(text)) return refuse("integerNotWhole", { input });
    return refuse("integerSyntax", { input });
  }
  const value = BigInt(text);
  if (value < INT64_MIN || value > INT64_MAX) {
    return refuse("integerRange", { input, min: String(INT64_MIN), max: String(INT64_MAX) });
  }
  return accept(text);
}

function parseFloatInput(text: string): ParsedInput {
  const problem = numberProblem(text, "float");
  if (problem) return problem;
  const input = quote(text);
  if (!FLOAT.test(text)) {
    if ((text.match(/\./g) ?? []).length > 1) return refuse("floatPoints", { input });
    return refuse("floatSyntax", { input });
  }
  if (!Number.isFinite(Number(text))) return refuse("floatRange", { input });
  // The text is stored as typed: 1.50 stays 1.50.
  return accept(text);
}

function parseBoolean(text: string): ParsedInput {
  if (text === "") return refuse("booleanEmpty");
  if (text.trim() !== text) return refuse("booleanSpaces", { input: quote(text) });
  const lower = text.toLowerCase();
  if (lower !== "true" && lower !== "false") return refuse("booleanInvalid", { input: quote(text) });
  return accept(lower);
}

function parseJson(text: string): ParsedInput {
  if (text.trim() === "") return refuse("jsonEmpty", { object: '{"alpha": 0.1}', array: "[1, 2, 3]" });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    // The JavaScript engine's own words: shown as they are, like code.
    const reason = error instanceof Error ? error.message : "it does not parse";
    return refuse("jsonInvalid", { reason });
  }
  if (parsed === null || typeof parsed !== "object") return refuse("jsonScalar");
  return accept(text);
}

function parseBinary(text: string): ParsedInput {
  const trimmed = text.trim();
  if (trimmed === "") return refuse("binaryEmpty");
  const groups = trimmed.split(/\s+/);
  const bad = groups.find((group) => !/^[0-9a-fA-F]*$/.test(group));
  if (bad !== undefined) return refuse("binaryNotHex", { input: quote(bad) });
  const odd = groups.find((group) => group.length % 2 !== 0);
  if (odd !== undefined) return refuse("binaryOdd", { input: quote(odd) });
  const digits = groups.join("");
  const bytes = new Uint8Array(digits.length / 2);
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = Number.parseInt(digits.slice(i * 2, i * 2 + 2), 16);
  const normalized = digits.toLowerCase().replace(/(..)(?!$)/g, "$1 ");
  return { ok: true, bytes, normalized };
}

/** What a JSON array item that is no number is, for `vectorItemType`'s `itemKind` select. */
function jsonItemKind(item: unknown): { itemKind: string; item: string } {
  if (typeof item === "string") return { itemKind: "text", item: quote(item) };
  if (Array.isArray(item)) return { itemKind: "array", item: "" };
  if (item === null) return { itemKind: "null", item: "" };
  if (typeof item === "object") return { itemKind: "object", item: "" };
  return { itemKind: "other", item: String(item) };
}

function parseVector(text: string): ParsedInput {
  const example = VECTOR_EXAMPLE;
  if (text.trim() === "") return refuse("vectorEmpty", { example });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return refuse("vectorNotJson", { example });
  }
  if (!Array.isArray(parsed)) return refuse("vectorNotArray", { example });
  if (parsed.length === 0) return refuse("vectorEmptyArray");
  const values: number[] = [];
  for (const [index, item] of parsed.entries()) {
    if (typeof item !== "number")
      return refuse("vectorItemType", { index: index + 1, ...jsonItemKind(item) });
    if (Math.abs(item) > VECTOR_MAX_MAGNITUDE) {
      return refuse("vectorItemRange", { index: index + 1, item: String(item) });
    }
    values.push(item);
  }
  if (values.length < VECTOR_MIN_LENGTH) {
    return refuse("vectorTooShort", { min: VECTOR_MIN_LENGTH, count: values.length });
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
      return LONE_SURROGATE.test(text) ? refuse("textSurrogate") : accept(text);
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
