// The export/import format of a model's parameters, shared by export, bulk edit and tests. Pure.
// JSON: { "field": "value", … }; a value that is not UTF-8 text is { "$base64": "…" }.
// CSV: header `field,value`, RFC 4180 quoting; a value that is not text is written `base64:…`.
// In both, a field name that is not UTF-8 text is written `base64:…`.

import { englishError, type ErrorKey, type MessageValues } from "@/lib/errors";

export type TransferFormat = "json" | "csv";

export interface ParsedEntries {
  entries: { field: Buffer; value: Buffer }[];
}

export function isText(bytes: Buffer): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

export function jsonValue(value: Buffer): string | { $base64: string } {
  return isText(value) ? value.toString("utf8") : { $base64: value.toString("base64") };
}

/** Text as it is, other bytes as `base64:…` (and text that starts with "base64:" too, so it reads back exactly). */
export function encodeName(bytes: Buffer): string {
  const literal = isText(bytes) && !bytes.toString("utf8").startsWith("base64:");
  return literal ? bytes.toString("utf8") : `base64:${bytes.toString("base64")}`;
}

export function decodeName(cell: string): Buffer {
  return cell.startsWith("base64:") ? Buffer.from(cell.slice(7), "base64") : Buffer.from(cell, "utf8");
}

export function csvCell(bytes: Buffer): string {
  const text = encodeName(bytes);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** An upload that cannot be read; `of` keeps the message's key, to say why in each language. */
export class TransferError extends Error {
  // Private, so two refusals with the same words are equal errors (as the tests compare them).
  #text?: { key: ErrorKey; values?: MessageValues };

  static of(key: ErrorKey, values?: MessageValues): TransferError {
    const error = new TransferError(englishError(key, values));
    error.#text = { key, values };
    return error;
  }

  get key(): ErrorKey | undefined {
    return this.#text?.key;
  }

  get values(): MessageValues | undefined {
    return this.#text?.values;
  }
}

function fromJsonValue(field: string, value: unknown): Buffer {
  if (typeof value === "string") return Buffer.from(value, "utf8");
  if (typeof value === "number" || typeof value === "boolean") return Buffer.from(String(value), "utf8");
  if (value && typeof value === "object" && "$base64" in value && typeof value.$base64 === "string") {
    return Buffer.from(value.$base64, "base64");
  }
  if (value !== null && typeof value === "object") return Buffer.from(JSON.stringify(value), "utf8");
  throw TransferError.of("nullValue", { field });
}

/**
 * The top-level members of a JSON object, in order, with each value's raw text. JSON.parse alone
 * would keep only the last of two equal keys and reprint numbers (1.50 → 1.5, big integers
 * rounded); this keeps what the person wrote. Called only on text JSON.parse accepted.
 */
export function topLevelMembers(text: string): { key: string; raw: string }[] {
  const members: { key: string; raw: string }[] = [];
  let depth = 0;
  let key: string | null = null;
  let valueStart = -1;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
      if (depth === 1 && key === null) key = JSON.parse(text.slice(i, end + 1)) as string;
      i = end;
    } else if (char === ":" && depth === 1 && valueStart < 0) {
      valueStart = i + 1;
    } else if (char === "{" || char === "[") {
      depth += 1;
    } else if ((char === "," && depth === 1) || ((char === "}" || char === "]") && --depth === 0)) {
      if (key !== null && valueStart >= 0) members.push({ key, raw: text.slice(valueStart, i).trim() });
      key = null;
      valueStart = -1;
    }
  }
  return members;
}

function keepsRawText(value: unknown): boolean {
  if (typeof value === "number") return true;
  return value !== null && typeof value === "object" && !("$base64" in value);
}

function parseJson(text: string): ParsedEntries {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw TransferError.of("uploadNotJson", { reason: (error as Error).message });
  }
  if (!data || typeof data !== "object" || Array.isArray(data)) {
    throw TransferError.of("uploadNotObject");
  }
  return {
    entries: topLevelMembers(text).map(({ key, raw }) => {
      const value: unknown = JSON.parse(raw);
      return {
        field: decodeName(key),
        // Numbers and nested JSON keep the text as written; strings and $base64 as fromJsonValue reads them.
        value: keepsRawText(value) ? Buffer.from(raw, "utf8") : fromJsonValue(key, value),
      };
    }),
  };
}

/** RFC 4180 rows; quoted cells may hold commas, quotes and newlines. */
export function parseCsvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"' && cell === "") quoted = true;
    else if (char === ",") {
      row.push(cell);
      cell = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[i + 1] === "\n") i += 1;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += char;
  }
  if (quoted) throw TransferError.of("csvUnclosedQuote");
  if (cell !== "" || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows.filter((r) => r.length > 1 || r[0] !== "");
}

function parseCsv(text: string): ParsedEntries {
  const rows = parseCsvRows(text);
  const [header, ...body] = rows;
  if (!header || header[0]?.trim() !== "field" || header[1]?.trim() !== "value" || header.length !== 2) {
    throw TransferError.of("csvHeader");
  }
  return {
    entries: body.map((cells, index) => {
      if (cells.length !== 2) throw TransferError.of("csvCells", { line: index + 2, cells: cells.length });
      const [field, value] = cells as [string, string];
      return { field: decodeName(field), value: decodeName(value) };
    }),
  };
}

export function parseEntries(text: string, format: TransferFormat): ParsedEntries {
  const parsed = format === "json" ? parseJson(text) : parseCsv(text);
  const seen = new Set<string>();
  for (const { field } of parsed.entries) {
    const id = field.toString("base64");
    if (seen.has(id)) throw TransferError.of("fieldTwice", { field: field.toString("utf8") });
    seen.add(id);
  }
  return parsed;
}
