import "server-only";
import type { AuditDescription } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { recordChanges, type HistoryOp } from "@/lib/models/history";
import type { Conflict } from "@/lib/models/types";
import type { AppliedChange } from "@/lib/models/write";
import { displayBytes, toKeyRef } from "@/lib/redis/keys";

// What follows a model write (DESIGN.md contracts 3 and 6): a stale edit becomes a CONFLICT that
// names the fields and carries their current values; a change made is recorded in the model's
// history and summed up for the audit log, field by field when it is small enough to read.

/** Fields an audit entry lists one by one; a bigger change is audited as a count. */
const AUDITED_FIELDS = 20;

/** How each kind of edit is recorded in history ("add" is a set of a field that was not there). */
export const HISTORY_OP = {
  set: "set",
  add: "set",
  delete: "delete",
  bulk: "bulk",
} as const satisfies Record<string, HistoryOp>;

export function conflictError(conflicts: Conflict[]): AppError {
  const names = conflicts
    .slice(0, 3)
    .map((c) => c.fieldName)
    .join(", ");
  const more = Math.max(conflicts.length - 3, 0);
  return AppError.of("CONFLICT", "conflict", { names, more }, conflicts);
}

/** The result of a compare-and-set that went through; CONFLICT for one that found stale fields. */
export function unlessConflict<T extends { ok: true }>(result: T | { ok: false; conflicts: Conflict[] }): T {
  if (!result.ok) throw conflictError(result.conflicts);
  return result;
}

export interface ChangeSummary {
  key: string;
  applied: number;
  /** Display text of the first changes, for the audit log. */
  sample: { field: string; old: string | null; new: string | null }[];
  historyRecorded: boolean;
}

/**
 * Sums the applied changes up for the page and the audit log, and records them in the model's
 * history: that write is handed to `alongside` (the action's audit write) to travel with it, and
 * `historyRecorded` is set when it has settled, before the answer goes out.
 */
export function recordEdit(
  connectionId: string,
  key: Buffer,
  user: string,
  op: HistoryOp,
  applied: AppliedChange[],
  alongside: (work: Promise<unknown>) => void,
): ChangeSummary {
  const summary: ChangeSummary = {
    key: toKeyRef(key),
    applied: applied.length,
    sample: applied.slice(0, AUDITED_FIELDS).map((change) => ({
      field: displayBytes(change.field),
      old: change.old && displayBytes(change.old),
      new: change.new && displayBytes(change.new),
    })),
    historyRecorded: false,
  };
  alongside(
    recordChanges(connectionId, key, user, op, applied).then(({ recorded }) => {
      summary.historyRecorded = recorded;
    }),
  );
  return summary;
}

/** One audit entry per changed field (old → new), or one with the count when there are many or none known. */
export function auditEdit(
  action: string,
  connection: string,
  key: Buffer,
  summary: ChangeSummary | undefined,
): AuditDescription | AuditDescription[] {
  // Nothing changed (a value saved as it was): nothing to record.
  if (summary && summary.applied === 0) return [];
  const target = displayBytes(key);
  if (!summary || summary.applied > AUDITED_FIELDS || summary.sample.length === 0) {
    return { action, connection, target, count: summary?.applied };
  }
  return summary.sample.map((change) => ({
    action,
    connection,
    target,
    field: change.field,
    old: change.old ?? undefined,
    new: change.new ?? undefined,
  }));
}
