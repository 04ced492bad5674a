// Bytes → ValueView: recognise what a stored value is, so it can be shown for what it is.
// Pure; unit-tested over each kind.
import type { ValueView } from "@/lib/values/types";

export const DISPLAY_CAP = 4_096;
const VECTOR_SAMPLE = 64;
const INTEGER = /^-?(0|[1-9]\d*)$/;
const FLOAT = /^-?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$/;
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;

/**
 * The bytes as text when they are valid UTF-8 without control characters (whitespace aside),
 * else null. A cut-off value may end inside a character; `partial` allows that.
 */
function asText(bytes: Buffer, partial: boolean): string | null {
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes, { stream: partial });
    return CONTROL.test(text) ? null : text;
  } catch {
    return null;
  }
}

/** A float32 little-endian blob: a length that is a multiple of 4 (at least 8 values), all finite. */
function asVector(bytes: Buffer): Float32Array | null {
  if (bytes.length < 32 || bytes.length % 4 !== 0) return null;
  const copy = new Uint8Array(bytes);
  const values = new Float32Array(copy.buffer, 0, bytes.length / 4);
  for (const value of values) if (!Number.isFinite(value) || Math.abs(value) > 1e12) return null;
  return values;
}

function vectorSummary(values: Float32Array): NonNullable<ValueView["vector"]> {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const value of values) {
    min = Math.min(min, value);
    max = Math.max(max, value);
    sum += value;
  }
  const step = Math.max(1, Math.ceil(values.length / VECTOR_SAMPLE));
  const sample: number[] = [];
  for (let i = 0; i < values.length; i += step) sample.push(values[i]!);
  return { length: values.length, min, max, mean: sum / values.length, sample };
}

function hex(bytes: Buffer): string {
  return bytes.toString("hex").replace(/(..)(?!$)/g, "$1 ");
}

export function describeValue(bytes: Buffer, cap = DISPLAY_CAP): ValueView {
  const size = bytes.length;
  const head = size > cap ? bytes.subarray(0, cap) : bytes;
  const truncated = size > cap;

  const text = asText(head, truncated);
  if (text !== null) {
    const trimmed = text.trim();
    if (!truncated && INTEGER.test(trimmed) && trimmed === text) {
      return { kind: "integer", display: text, size, truncated, number: Number(text) };
    }
    if (!truncated && FLOAT.test(trimmed) && trimmed === text) {
      return { kind: "float", display: text, size, truncated, number: Number(text) };
    }
    if (!truncated && (text === "true" || text === "false"))
      return { kind: "boolean", display: text, size, truncated };
    if (!truncated && (trimmed.startsWith("{") || trimmed.startsWith("["))) {
      try {
        return { kind: "json", display: text, size, truncated, json: JSON.parse(text) };
      } catch {
        // not JSON after all: plain text
      }
    }
    return { kind: "text", display: text, size, truncated };
  }
  const vector = asVector(bytes);
  if (vector) {
    const summary = vectorSummary(vector);
    return {
      kind: "vector",
      display: `float32[${summary.length}] min ${summary.min.toPrecision(4)} max ${summary.max.toPrecision(4)} mean ${summary.mean.toPrecision(4)}`,
      size,
      truncated: false,
      vector: summary,
    };
  }
  return { kind: "binary", display: hex(head), size, truncated };
}
