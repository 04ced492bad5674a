import "server-only";
import { AppError } from "@/lib/errors";
import { stateClient, stateKey } from "@/lib/console-state";
import { toAppError } from "@/lib/redis/errors";

// The audit log (DESIGN.md contract 6) is one capped Redis stream in console state.
// Values are stored as display text, truncated; secrets are never passed in.

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

export interface AuditEntry extends AuditInput {
  id: string;
  at: number;
}

const MAX_ENTRIES = 100_000;
const MAX_VALUE_CHARS = 500;

export function auditKey(): string {
  return stateKey("audit");
}

function clip(value: string): string {
  return value.length > MAX_VALUE_CHARS ? `${value.slice(0, MAX_VALUE_CHARS)}…` : value;
}

/**
 * Appends an entry. An audit failure must not undo or hide the change it describes, so it is
 * reported on the server log (without values) and the caller goes on.
 */
export async function writeAudit(entry: AuditInput): Promise<void> {
  const fields: string[] = [];
  for (const [name, value] of Object.entries(entry)) {
    if (value !== undefined && value !== "") fields.push(name, clip(String(value)));
  }
  try {
    await (await stateClient()).xadd(auditKey(), "MAXLEN", "~", String(MAX_ENTRIES), "*", ...fields);
  } catch (error) {
    console.error(
      `[audit] could not record "${entry.action}" by ${entry.user}: ${toAppError(error).message}`,
    );
  }
}

export interface AuditPage {
  entries: AuditEntry[];
  /** Pass as `before` to read the next (older) page; null at the end. */
  nextCursor: string | null;
}

const STREAM_ID = /^\d+-\d+$/;

/** Newest first, `count` at a time, read with XREVRANGE … COUNT (bounded). */
export async function listAudit(options: { before?: string; count?: number } = {}): Promise<AuditPage> {
  const count = Math.min(Math.max(options.count ?? 50, 1), 500);
  if (options.before !== undefined && !STREAM_ID.test(options.before)) {
    throw new AppError("INVALID", "That audit page cursor is malformed; start from the newest entries.");
  }
  const end = options.before ? `(${options.before}` : "+";
  let rows: [string, string[]][];
  try {
    rows = await (await stateClient()).xrevrange(auditKey(), end, "-", "COUNT", count + 1);
  } catch (error) {
    throw toAppError(error, "console state");
  }
  const entries = rows.slice(0, count).map(([id, flat]) => {
    const record: Record<string, string> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) record[flat[i]!] = flat[i + 1]!;
    return {
      id,
      at: Number(id.split("-")[0]),
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
    } satisfies AuditEntry;
  });
  return { entries, nextCursor: rows.length > count ? entries[entries.length - 1]!.id : null };
}
