// What an audit entry is, and how it is stored: a flat record of display text, the same in the
// Redis stream and in the spool file. Values are truncated; secrets are never passed in.

export interface AuditInput {
  action: string;
  user: string;
  role?: string;
  connection?: string;
  target?: string;
  field?: string;
  old?: string;
  new?: string;
  count?: number;
  outcome: "ok" | "failed" | "refused";
  detail?: string;
  address?: string;
}

/** A change as a route, action or domain module describes it; who, where and how it went are added by the wrapper. */
export type AuditDescription = Omit<AuditInput, "user" | "role" | "address" | "outcome">;

export interface AuditEntry extends AuditInput {
  id: string;
  /** When it happened (ms), which for an entry kept on disk is before it reached the stream. */
  at: number;
  /** Kept on disk while Redis refused writes, and written to the stream later. */
  spooled?: boolean;
}

/** Field name → text, as stored. `at` is the time of the event; `spoolId` marks a spooled entry. */
export type AuditRecord = Record<string, string>;

const MAX_VALUE_CHARS = 500;

function clip(value: string): string {
  return value.length > MAX_VALUE_CHARS ? `${value.slice(0, MAX_VALUE_CHARS)}…` : value;
}

export function toAuditRecord(entry: AuditInput, at: number): AuditRecord {
  const record: AuditRecord = {};
  for (const [name, value] of Object.entries(entry)) {
    if (value !== undefined && value !== "") record[name] = clip(String(value));
  }
  record.at = String(at);
  return record;
}

/** XADD's field/value list. */
export function recordFields(record: AuditRecord): string[] {
  return Object.entries(record).flat();
}

/** A record read back from the spool file; null when the line is not one (a torn write). */
export function parseAuditRecord(line: string): AuditRecord | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const entries = Object.entries(value);
  if (!entries.every(([, text]) => typeof text === "string")) return null;
  const record = Object.fromEntries(entries) as AuditRecord;
  return record.action && record.user && record.at ? record : null;
}

export function toAuditEntry(id: string, flat: string[]): AuditEntry {
  const record: AuditRecord = {};
  for (let i = 0; i + 1 < flat.length; i += 2) record[flat[i]!] = flat[i + 1]!;
  const at = Number(record.at);
  return {
    id,
    // Entries written before `at` was stored carry their time only in the stream id.
    at: Number.isFinite(at) && at > 0 ? at : Number(id.split("-")[0]),
    spooled: record.spoolId ? true : undefined,
    action: record.action ?? "",
    user: record.user ?? "",
    role: record.role,
    connection: record.connection,
    target: record.target,
    field: record.field,
    old: record.old,
    new: record.new,
    count: record.count === undefined ? undefined : Number(record.count),
    outcome: (record.outcome as AuditEntry["outcome"]) ?? "ok",
    detail: record.detail,
    address: record.address,
  };
}
