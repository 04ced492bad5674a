import "server-only";
import { randomBytes } from "node:crypto";
import { stateKey } from "@/lib/console-state";
import { AppError } from "@/lib/errors";
import { digestOf } from "@/lib/models/digest";
import type { HistoryEntry } from "@/lib/models/types";
import type { AppliedChange } from "@/lib/models/write";
import { isCluster, type RedisClient } from "@/lib/redis/client";
import { toAppError } from "@/lib/redis/errors";
import { withState } from "@/lib/redis/gate";
import { displayBytes, fromKeyRef, toKeyRef } from "@/lib/redis/keys";
import { describeValue } from "@/lib/values/describe";

// Per-model parameter history: one capped stream per model in console state, one entry per field
// changed through the console. Each entry keeps the exact old and new bytes, so any point can be
// restored with the same compare-and-set as an edit (lib/models/restore.ts).

export type HistoryOp = "set" | "delete" | "rename" | "bulk" | "restore" | "revert" | "clone";

const MAX_ENTRIES = 10_000;
/** Values above this are kept as digest and size only: the history stays small, they can't be restored. */
export const KEEP_VALUE_BYTES = 16 * 1024;
const STREAM_ID = /^\d+-\d+$/;

export function historyKey(connectionId: string, key: Buffer): string {
  return stateKey("history", connectionId, toKeyRef(key));
}

// A value in an entry is one string: "-" absent, "=<base64url>" kept, "#<sha1>:<size>" too large.
export type StoredValue =
  { kind: "absent" } | { kind: "kept"; bytes: Buffer } | { kind: "dropped"; digest: string; size: number };

function encodeValue(value: Buffer | null): string {
  if (value === null) return "-";
  if (value.length > KEEP_VALUE_BYTES) return `#${digestOf(value)}:${value.length}`;
  return `=${toKeyRef(value)}`;
}

function decodeValue(text: string | undefined): StoredValue {
  if (text === "-") return { kind: "absent" };
  const bytes = text?.startsWith("=") ? fromKeyRef(text.slice(1)) : null;
  if (bytes) return { kind: "kept", bytes };
  const [digest = "", size = "0"] = (text ?? "").slice(1).split(":");
  return { kind: "dropped", digest, size: Number(size) };
}

export function digestOfStored(value: StoredValue): string | null {
  if (value.kind === "absent") return null;
  return value.kind === "kept" ? digestOf(value.bytes) : value.digest;
}

export interface StoredEntry {
  id: string;
  at: number;
  user: string;
  op: string;
  batch: string;
  field: string;
  old: StoredValue;
  new: StoredValue;
}

type StreamRow = [id: string, fields: string[]];

export function parseRow([id, flat]: StreamRow): StoredEntry {
  const record = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) record.set(flat[i]!, flat[i + 1]!);
  return {
    id,
    at: Number(id.split("-")[0]),
    user: record.get("user") ?? "",
    op: record.get("op") ?? "",
    batch: record.get("batch") ?? "",
    field: record.get("field") ?? "",
    old: decodeValue(record.get("old")),
    new: decodeValue(record.get("new")),
  };
}

function refOf(value: StoredValue): string | null | undefined {
  if (value.kind === "absent") return null;
  return value.kind === "kept" ? toKeyRef(value.bytes) : undefined;
}

function toHistoryEntry(entry: StoredEntry): HistoryEntry {
  return {
    id: entry.id,
    at: entry.at,
    user: entry.user,
    op: entry.op,
    batch: entry.batch,
    field: entry.field,
    fieldName: displayBytes(fromKeyRef(entry.field) ?? Buffer.alloc(0)),
    old: refOf(entry.old),
    new: refOf(entry.new),
    oldView: entry.old.kind === "kept" ? describeValue(entry.old.bytes) : null,
    newView: entry.new.kind === "kept" ? describeValue(entry.new.bytes) : null,
  };
}

export function checkEntryId(id: string): void {
  if (!STREAM_ID.test(id)) {
    throw AppError.of("INVALID", "historyIdMalformed");
  }
}

/**
 * Records one entry per changed field, in one MULTI so a batch is contiguous and never half-written.
 * Like the audit log, a failure here must not undo or hide the change already made: it is logged
 * and reported as `recorded: false`.
 */
export function recordChanges(
  connectionId: string,
  key: Buffer,
  user: string,
  op: HistoryOp,
  applied: AppliedChange[],
  batch: string = randomBytes(8).toString("hex"),
): Promise<{ batch: string; recorded: boolean }> {
  if (applied.length === 0) return Promise.resolve({ batch, recorded: true });
  const stream = historyKey(connectionId, key);
  const fieldsOf = (change: AppliedChange) =>
    Object.entries({
      user,
      op,
      batch,
      field: toKeyRef(change.field),
      old: encodeValue(change.old),
      new: encodeValue(change.new),
    }).flat();
  const written = withState<unknown>((client) => {
    // One entry needs no transaction: an XADD is all or none by itself. Its own promise, with no
    // async layer around it (the usual edit: bench/RESULTS.md).
    if (applied.length === 1) {
      return client.xadd(stream, "MAXLEN", "~", String(MAX_ENTRIES), "*", ...fieldsOf(applied[0]!));
    }
    const transaction = client.multi();
    for (const change of applied) {
      transaction.xadd(stream, "MAXLEN", "~", String(MAX_ENTRIES), "*", ...fieldsOf(change));
    }
    return transaction.exec().then((results) => {
      const failed = results?.find(([error]) => error)?.[0];
      if (!results || failed) throw failed ?? new Error("Connection is closed.");
    });
  });
  return written.then(
    () => ({ batch, recorded: true }),
    (error: unknown) => {
      console.error(`[history] could not record "${op}" by ${user}: ${toAppError(error).message}`);
      return { batch, recorded: false };
    },
  );
}

export interface HistoryPage {
  entries: HistoryEntry[];
  /** Pass as `before` for the next (older) page; null at the end. */
  nextCursor: string | null;
}

/** Newest first, `count` at a time (XREVRANGE … COUNT, bounded). */
export async function listHistory(
  connectionId: string,
  key: Buffer,
  options: { before?: string; count?: number } = {},
): Promise<HistoryPage> {
  const count = Math.min(Math.max(options.count ?? 50, 1), 500);
  if (options.before !== undefined) checkEntryId(options.before);
  const end = options.before ? `(${options.before}` : "+";
  const rows = await withState((client) =>
    client.xrevrange(historyKey(connectionId, key), end, "-", "COUNT", count + 1),
  );
  const entries = rows.slice(0, count).map((row) => toHistoryEntry(parseRow(row)));
  return { entries, nextCursor: rows.length > count ? entries[entries.length - 1]!.id : null };
}

/** The newest entry of each stream; one pipeline (per-key commands on a cluster, where slots differ). */
async function newestRows(client: RedisClient, streams: string[]): Promise<(StreamRow | undefined)[]> {
  if (isCluster(client)) {
    const replies = await Promise.all(streams.map((s) => client.xrevrange(s, "+", "-", "COUNT", 1)));
    return replies.map((rows) => rows[0]);
  }
  const pipeline = client.pipeline();
  for (const stream of streams) pipeline.xrevrange(stream, "+", "-", "COUNT", 1);
  const results = (await pipeline.exec()) ?? [];
  return results.map(([error, rows]) => {
    if (error) throw error;
    return (rows as StreamRow[])[0];
  });
}

/** For each key (same order): who last changed it through the console and when, or null. */
export async function lastChanges(
  connectionId: string,
  keys: Buffer[],
): Promise<({ at: number; user: string } | null)[]> {
  if (keys.length === 0) return [];
  const rows = await withState((client) =>
    newestRows(
      client,
      keys.map((k) => historyKey(connectionId, k)),
    ),
  );
  return rows.map((row) => {
    if (!row) return null;
    const { at, user } = parseRow(row);
    return { at, user };
  });
}

export interface ExpectedValue {
  field: string;
  fieldName: string;
  /** Digest of the value the console last wrote (null: it deleted the field). */
  digest: string | null;
  at: number;
  user: string;
}

/**
 * What the console last wrote to each field it has touched (newest 10,000 entries). A field whose
 * current digest differs was changed outside the console since.
 */
export async function expectedValues(connectionId: string, key: Buffer): Promise<ExpectedValue[]> {
  const rows = await withState((client) =>
    client.xrevrange(historyKey(connectionId, key), "+", "-", "COUNT", MAX_ENTRIES),
  );
  const latest = new Map<string, ExpectedValue>();
  for (const entry of rows.map(parseRow)) {
    if (latest.has(entry.field)) continue;
    latest.set(entry.field, {
      field: entry.field,
      fieldName: displayBytes(fromKeyRef(entry.field) ?? Buffer.alloc(0)),
      digest: digestOfStored(entry.new),
      at: entry.at,
      user: entry.user,
    });
  }
  return [...latest.values()];
}
