// Readers for the nested replies of XINFO and XPENDING, asked for as Buffers (RESP2): names and
// ids are bytes (DESIGN.md contract 1), numbers come as integers.

export type Reply = Buffer | number | null | Reply[];

/** A RESP2 flat map (name, value, name, value…) as a lookup by name. */
export function fieldsOf(flat: Reply): Map<string, Reply> {
  const map = new Map<string, Reply>();
  if (!Array.isArray(flat)) return map;
  for (let i = 0; i + 1 < flat.length; i += 2) map.set(String(flat[i]), flat[i + 1]!);
  return map;
}

export function text(value: Reply | undefined): string | null {
  return Buffer.isBuffer(value) || typeof value === "number" ? String(value) : null;
}

export function int(value: Reply | undefined): number | null {
  const parsed = text(value);
  return parsed === null ? null : Number(parsed);
}

/** The id of an `[id, fields]` entry reply, or null for none. */
export function entryId(entry: Reply | undefined): string | null {
  return Array.isArray(entry) ? text(entry[0]) : null;
}
