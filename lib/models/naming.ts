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
export function narrowPattern(pattern: string, escapedSearch: string): string {
  if (!escapedSearch) return pattern;
  return pattern.endsWith("*") ? `${pattern}${escapedSearch}*` : pattern;
}
