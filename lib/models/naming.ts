// `model:<name>:v<N>` keys read as a model name and a version, so versions can be grouped and
// compared. Any other hash is a model of its own name with no version. Pure.
import { displayBytes } from "@/lib/redis/keys";

const VERSIONED = /^model:(.+):v(\d{1,9})$/s;

export interface ModelName {
  name: string;
  version: number | null;
}

export function parseModelKey(key: Buffer): ModelName {
  const display = displayBytes(key);
  const match = VERSIONED.exec(display);
  if (match) return { name: match[1]!, version: Number(match[2]) };
  return { name: display, version: null };
}

/** Patterns that find model hashes (CONSOLE_MODEL_PATTERNS, comma-separated; default model:*). */
export function modelPatterns(env: Record<string, string | undefined> = process.env): string[] {
  const configured = env.CONSOLE_MODEL_PATTERNS?.split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  return configured?.length ? configured : ["model:*"];
}

/**
 * A pattern narrowed by a search text: `model:*` with "churn" scans `model:*churn*`, so Redis
 * does the filtering. The text is escaped: a search for `a*b` finds the literal `a*b`.
 */
export function narrowPattern(pattern: string, escapedSearch: string): string;
export function narrowPattern(pattern: string, escapedSearch: Buffer): Buffer;
export function narrowPattern(pattern: string, escapedSearch: string | Buffer): string | Buffer {
  const bytes = typeof escapedSearch !== "string";
  if (escapedSearch.length === 0 || !pattern.endsWith("*")) return bytes ? Buffer.from(pattern) : pattern;
  if (!bytes) return `${pattern}${escapedSearch}*`;
  return Buffer.concat([Buffer.from(pattern), escapedSearch, Buffer.from("*")]);
}

/** The raw bytes of a versioned model's name (`model:<name>:v<N>`), or null for other keys. */
export function modelNameBytes(key: Buffer): Buffer | null {
  const prefix = Buffer.from("model:");
  if (!key.subarray(0, prefix.length).equals(prefix)) return null;
  const at = key.lastIndexOf(":v");
  if (at <= prefix.length || !/^\d{1,9}$/.test(key.subarray(at + 2).toString("latin1"))) return null;
  return key.subarray(prefix.length, at);
}
