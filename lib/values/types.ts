// How a stored value is understood and shown. Shared by the models page and, later, the keys browser.

export type ValueKind = "integer" | "float" | "boolean" | "json" | "text" | "binary" | "vector";

/** A value as the browser receives it: never raw bytes it could run, always something to show. */
export interface ValueView {
  kind: ValueKind;
  /** Text to show (for binary: hex; for vectors: a summary line). Capped; see `truncated`. */
  display: string;
  /** Bytes of the whole stored value. */
  size: number;
  /** The shown text or bytes were cut to the cap. */
  truncated: boolean;
  /** For JSON: the parsed value (only when not truncated). */
  json?: unknown;
  /** For vectors (float32 little-endian blobs): statistics and a downsampled series for a chart. */
  vector?: { length: number; min: number; max: number; mean: number; sample: number[] };
  /** For numbers: the parsed number, for sorting and charts. */
  number?: number;
}
