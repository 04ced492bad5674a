import "server-only";
import { AppError } from "@/lib/errors";
import {
  checkEntryId,
  digestOfStored,
  historyKey,
  parseRow,
  recordChanges,
  type HistoryOp,
  type StoredEntry,
  type StoredValue,
} from "@/lib/models/history";
import type { Conflict } from "@/lib/models/types";
import { applyChanges, type AppliedChange, type FieldWrite } from "@/lib/models/write";
import type { RedisClient } from "@/lib/redis/client";
import { withState } from "@/lib/redis/gate";
import { displayBytes, fromKeyRef } from "@/lib/redis/keys";

// Going back through a model's history: restore to a point, or revert one change. Both write the
// inverse of recorded changes with the same compare-and-set as an edit, and are recorded in turn.

export type RestoreResult =
  { ok: true; applied: AppliedChange[]; batch: string } | { ok: false; conflicts: Conflict[] };

/** Most entries a restore reads and undoes (the whole history at its cap). */
const MAX_RESTORE_ENTRIES = 10_000;

/** The entry with this id, or NOT_FOUND (history keeps the newest ~10,000 changes per model). */
async function readEntry(client: RedisClient, stream: string, id: string): Promise<StoredEntry> {
  checkEntryId(id);
  const [row] = await client.xrange(stream, id, id);
  if (!row) {
    throw AppError.of("NOT_FOUND", "historyEntryGone");
  }
  return parseRow(row);
}

/**
 * The changes that undo `entries` (oldest first): each field goes back to the `old` of its first
 * entry, on condition that it still holds the `new` of its last one — so a field changed outside
 * the console since makes a conflict instead of being overwritten.
 */
function inverseChanges(entries: StoredEntry[]): FieldWrite[] {
  const byField = new Map<string, { target: StoredValue; current: StoredValue }>();
  for (const entry of entries) {
    const seen = byField.get(entry.field);
    if (seen) seen.current = entry.new;
    else byField.set(entry.field, { target: entry.old, current: entry.new });
  }
  const changes: FieldWrite[] = [];
  for (const [ref, { target, current }] of byField) {
    const expected = digestOfStored(current);
    const field = fromKeyRef(ref);
    if (target.kind === "dropped") {
      if (target.digest === expected) continue; // already back to that value
      throw AppError.of("INVALID", "restoreDigestOnly", { field: displayBytes(field ?? Buffer.alloc(0)) });
    }
    if (!field) {
      throw AppError.of("INVALID", "restoreMalformedEdit");
    }
    changes.push({ field, expected, value: target.kind === "kept" ? target.bytes : null });
  }
  return changes;
}

async function applyInverse(
  connectionId: string,
  key: Buffer,
  entries: StoredEntry[],
  user: string,
  op: HistoryOp,
): Promise<RestoreResult> {
  const result = await applyChanges(connectionId, key, inverseChanges(entries));
  if (!result.ok) return result;
  const { batch } = await recordChanges(connectionId, key, user, op, result.applied);
  return { ok: true, applied: result.applied, batch };
}

/**
 * Brings the model back to its state right after entry `entryId`: every change recorded after it
 * is undone in one compare-and-set, recorded as one "restore" batch. Nothing is written when any
 * of those fields no longer holds what history says (CONFLICT with both values).
 */
export async function restoreTo(
  connectionId: string,
  key: Buffer,
  entryId: string,
  user: string,
): Promise<RestoreResult> {
  const stream = historyKey(connectionId, key);
  const later = await withState(async (client) => {
    await readEntry(client, stream, entryId);
    return client.xrange(stream, `(${entryId}`, "+", "COUNT", MAX_RESTORE_ENTRIES + 1);
  });
  if (later.length > MAX_RESTORE_ENTRIES) {
    throw AppError.of("INVALID", "restoreTooFar", { max: MAX_RESTORE_ENTRIES });
  }
  return applyInverse(connectionId, key, later.map(parseRow), user, "restore");
}

/** Both halves of a rename, which must be undone together or the value would vanish from view. */
async function renamePair(client: RedisClient, stream: string, entry: StoredEntry): Promise<StoredEntry[]> {
  const [before, after] = await Promise.all([
    client.xrevrange(stream, `(${entry.id}`, "-", "COUNT", 1),
    client.xrange(stream, `(${entry.id}`, "+", "COUNT", 1),
  ]);
  const siblings = [...before, ...after].map(parseRow).filter((row) => row.batch === entry.batch);
  return [...siblings, entry].sort((a, b) => compareIds(a.id, b.id));
}

function compareIds(a: string, b: string): number {
  const [aMs = 0, aSeq = 0] = a.split("-").map(Number);
  const [bMs = 0, bSeq = 0] = b.split("-").map(Number);
  return aMs - bMs || aSeq - bSeq;
}

/**
 * Undoes one change (a rename: both its halves) if the field still holds what that change wrote;
 * recorded as a "revert".
 */
export async function revertEntry(
  connectionId: string,
  key: Buffer,
  entryId: string,
  user: string,
): Promise<RestoreResult> {
  const stream = historyKey(connectionId, key);
  const entries = await withState(async (client) => {
    const entry = await readEntry(client, stream, entryId);
    return entry.op === "rename" ? renamePair(client, stream, entry) : [entry];
  });
  return applyInverse(connectionId, key, entries, user, "revert");
}
