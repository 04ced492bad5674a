"use server";

import { defineAction, type ActionContext } from "@/lib/actions/safe-action";
import { AppError } from "@/lib/errors";
import { previewBulk } from "@/lib/models/bulk";
import { cloneModel as cloneHash, nextVersionKey } from "@/lib/models/clone";
import { recordChanges, type HistoryOp } from "@/lib/models/history";
import { pinModel } from "@/lib/models/list";
import { restoreTo, revertEntry } from "@/lib/models/restore";
import type { Conflict } from "@/lib/models/types";
import { applyChanges, renameField, type AppliedChange } from "@/lib/models/write";
import { displayBytes, fromKeyRef, parseDisplayedBytes, toKeyRef } from "@/lib/redis/keys";
import {
  applyChangesSchema,
  bulkPreviewSchema,
  cloneModelSchema,
  historyEntrySchema,
  openModelSchema,
  renameFieldSchema,
} from "@/lib/validation/models";

// Model parameter changes (DESIGN.md contract 3): every write is a compare-and-set inside Redis,
// recorded in the model's history and in the audit log. A stale edit answers CONFLICT with the
// current values in `details`, and nothing is written.

const AUDITED_FIELDS = 20;

function bytes(ref: string): Buffer {
  // Refs were validated by the schema; this only narrows the type.
  return fromKeyRef(ref)!;
}

function userOf(context: ActionContext): string {
  return context.session!.username;
}

function conflictError(conflicts: Conflict[]): AppError {
  const names = conflicts
    .slice(0, 3)
    .map((c) => c.fieldName)
    .join(", ");
  const more = conflicts.length > 3 ? ` and ${conflicts.length - 3} more` : "";
  return new AppError(
    "CONFLICT",
    `Someone else changed ${names}${more} since you loaded it. Nothing was written; review the current value and try again.`,
    conflicts,
  );
}

interface ChangeSummary {
  key: string;
  applied: number;
  /** Display text of the first changes, for the audit log. */
  sample: { field: string; old: string | null; new: string | null }[];
  historyRecorded: boolean;
}

async function record(
  connectionId: string,
  key: Buffer,
  user: string,
  op: HistoryOp,
  applied: AppliedChange[],
): Promise<ChangeSummary> {
  const { recorded } = await recordChanges(connectionId, key, user, op, applied);
  return {
    key: toKeyRef(key),
    applied: applied.length,
    sample: applied.slice(0, AUDITED_FIELDS).map((change) => ({
      field: displayBytes(change.field),
      old: change.old && displayBytes(change.old),
      new: change.new && displayBytes(change.new),
    })),
    historyRecorded: recorded,
  };
}

function auditChanges(action: string, conn: string, key: string, data: ChangeSummary | undefined) {
  const target = displayBytes(bytes(key));
  if (!data || data.applied > AUDITED_FIELDS || data.sample.length === 0) {
    return { action, connection: conn, target, count: data?.applied };
  }
  return data.sample.map((change) => ({
    action,
    connection: conn,
    target,
    field: change.field,
    old: change.old ?? undefined,
    new: change.new ?? undefined,
  }));
}

const HISTORY_OP = { set: "set", add: "set", delete: "delete", bulk: "bulk" } as const;

export const applyModelChanges = defineAction({
  role: "editor",
  input: applyChangesSchema,
  run: async ({ conn, key, op, changes }, context) => {
    const result = await applyChanges(conn, bytes(key), changes, { requireHash: true });
    if (!result.ok) throw conflictError(result.conflicts);
    return record(conn, bytes(key), userOf(context), HISTORY_OP[op], result.applied);
  },
  audit: ({ conn, key, op }, data) => auditChanges(`model.${op}`, conn, key, data),
});

export const renameModelField = defineAction({
  role: "editor",
  input: renameFieldSchema,
  run: async ({ conn, key, from, to, expected }, context) => {
    const result = await renameField(conn, bytes(key), bytes(from), bytes(to), expected);
    if (!result.ok) throw conflictError(result.conflicts);
    return record(conn, bytes(key), userOf(context), "rename", result.applied);
  },
  audit: ({ conn, key, from, to }) => ({
    action: "model.rename",
    connection: conn,
    target: displayBytes(bytes(key)),
    field: displayBytes(bytes(from)),
    new: displayBytes(bytes(to)),
  }),
});

export const restoreModel = defineAction({
  role: "editor",
  input: historyEntrySchema,
  run: async ({ conn, key, entryId }, context) => {
    const result = await restoreTo(conn, bytes(key), entryId, userOf(context));
    if (!result.ok) throw conflictError(result.conflicts);
    return { applied: result.applied.length };
  },
  audit: ({ conn, key, entryId }, data) => ({
    action: "model.restore",
    connection: conn,
    target: displayBytes(bytes(key)),
    detail: `to ${entryId}`,
    count: data?.applied,
  }),
});

export const revertModelChange = defineAction({
  role: "editor",
  input: historyEntrySchema,
  run: async ({ conn, key, entryId }, context) => {
    const result = await revertEntry(conn, bytes(key), entryId, userOf(context));
    if (!result.ok) throw conflictError(result.conflicts);
    return { applied: result.applied.length };
  },
  audit: ({ conn, key, entryId }, data) => ({
    action: "model.revert",
    connection: conn,
    target: displayBytes(bytes(key)),
    detail: entryId,
    count: data?.applied,
  }),
});

export const cloneModel = defineAction({
  role: "editor",
  input: cloneModelSchema,
  run: async ({ conn, source, target }) => {
    const targetKey = target ? bytes(target) : await nextVersionKey(conn, bytes(source));
    if (!targetKey) {
      throw new AppError("INVALID", "This hash has no version in its name; type a name for the clone.");
    }
    const { fields } = await cloneHash(conn, bytes(source), targetKey);
    return { ref: toKeyRef(targetKey), key: displayBytes(targetKey), fields };
  },
  audit: ({ conn, source }, data) => ({
    action: "model.clone",
    connection: conn,
    target: displayBytes(bytes(source)),
    new: data?.key,
    count: data?.fields,
  }),
});

export const previewBulkEdit = defineAction({
  role: "editor",
  input: bulkPreviewSchema,
  run: async ({ conn, key, text, format, removeMissing }) =>
    previewBulk(conn, bytes(key), text, format, removeMissing),
});

export const openModelByName = defineAction({
  role: "viewer",
  input: openModelSchema,
  run: async ({ conn, name }) => pinModel(conn, parseDisplayedBytes(name) ?? Buffer.from(name, "utf8")),
});
