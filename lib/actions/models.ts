"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { AppError } from "@/lib/errors";
import { previewBulk } from "@/lib/models/bulk";
import { cloneModel as cloneHash, nextVersionKey } from "@/lib/models/clone";
import { auditEdit, HISTORY_OP, recordEdit, unlessConflict } from "@/lib/models/edits";
import { pinModel } from "@/lib/models/list";
import { restoreTo, revertEntry } from "@/lib/models/restore";
import { applyChanges, renameField } from "@/lib/models/write";
import { displayBytes, toKeyRef, typedBytes } from "@/lib/redis/keys";
import {
  applyChangesSchema,
  bulkPreviewSchema,
  cloneModelSchema,
  historyEntrySchema,
  openModelSchema,
  renameFieldSchema,
} from "@/lib/validation/models";

// Model parameter changes (DESIGN.md contract 3): every write is a compare-and-set inside Redis,
// recorded in the model's history and in the audit log (lib/models/edits). A stale edit answers
// CONFLICT with the current values in `details`, and nothing is written.

export const applyModelChanges = defineAction({
  name: "applyModelChanges",
  role: "editor",
  input: applyChangesSchema,
  run: async ({ conn, key, op, changes }, { session, alongsideAudit }) => {
    const { applied } = unlessConflict(await applyChanges(conn, key, changes, { requireHash: true }));
    return recordEdit(conn, key, session.username, HISTORY_OP[op], applied, alongsideAudit);
  },
  audit: ({ conn, key, op }, data) => auditEdit(`model.${op}`, conn, key, data),
});

export const renameModelField = defineAction({
  name: "renameModelField",
  role: "editor",
  input: renameFieldSchema,
  run: async ({ conn, key, from, to, expected }, { session, alongsideAudit }) => {
    const { applied } = unlessConflict(await renameField(conn, key, from, to, expected));
    return recordEdit(conn, key, session.username, "rename", applied, alongsideAudit);
  },
  audit: ({ conn, key, from, to }) => ({
    action: "model.rename",
    connection: conn,
    target: displayBytes(key),
    field: displayBytes(from),
    new: displayBytes(to),
  }),
});

export const restoreModel = defineAction({
  name: "restoreModel",
  role: "editor",
  input: historyEntrySchema,
  run: async ({ conn, key, entryId }, { session }) => {
    const { applied } = unlessConflict(await restoreTo(conn, key, entryId, session.username));
    return { applied: applied.length };
  },
  audit: ({ conn, key, entryId }, data) => ({
    action: "model.restore",
    connection: conn,
    target: displayBytes(key),
    detail: `to ${entryId}`,
    count: data?.applied,
  }),
});

export const revertModelChange = defineAction({
  name: "revertModelChange",
  role: "editor",
  input: historyEntrySchema,
  run: async ({ conn, key, entryId }, { session }) => {
    const { applied } = unlessConflict(await revertEntry(conn, key, entryId, session.username));
    return { applied: applied.length };
  },
  audit: ({ conn, key, entryId }, data) => ({
    action: "model.revert",
    connection: conn,
    target: displayBytes(key),
    detail: entryId,
    count: data?.applied,
  }),
});

export const cloneModel = defineAction({
  name: "cloneModel",
  role: "editor",
  input: cloneModelSchema,
  run: async ({ conn, source, target }) => {
    const targetKey = target ? target : await nextVersionKey(conn, source);
    if (!targetKey) {
      throw AppError.of("INVALID", "cloneNeedsName");
    }
    const { fields } = await cloneHash(conn, source, targetKey);
    return { ref: toKeyRef(targetKey), key: displayBytes(targetKey), fields };
  },
  audit: ({ conn, source }, data) => ({
    action: "model.clone",
    connection: conn,
    target: displayBytes(source),
    new: data?.key,
    count: data?.fields,
  }),
});

export const previewBulkEdit = defineAction({
  name: "previewBulkEdit",
  role: "editor",
  input: bulkPreviewSchema,
  run: async ({ conn, key, text, format, removeMissing }) =>
    previewBulk(conn, key, text, format, removeMissing),
});

export const openModelByName = defineAction({
  name: "openModelByName",
  role: "viewer",
  input: openModelSchema,
  run: async ({ conn, name }) => pinModel(conn, typedBytes(name)),
});
