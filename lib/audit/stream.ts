import "server-only";
import { recordFields, type AuditRecord } from "@/lib/audit/entry";
import { stateKey } from "@/lib/console-state";
import { withState } from "@/lib/redis/gate";

// The audit log's home (DESIGN.md contract 6): one capped Redis stream in console state.

const MAX_ENTRIES = 100_000;

export function auditKey(): string {
  return stateKey("audit");
}

/**
 * Appends the records in order, all or none: one MULTI, so a Redis that refuses writes (OOM)
 * refuses the whole batch at queue time and the stream never gets a gap; a single record is one
 * XADD, all or none by itself. Throws what Redis said, mapped (an AppError naming console state).
 */
export function appendToStream(records: AuditRecord[]): Promise<unknown> {
  if (records.length === 0) return Promise.resolve();
  // A single record, the usual case, is the XADD's own promise: no async layer around it.
  if (records.length === 1) {
    return withState((state) =>
      state.xadd(auditKey(), "MAXLEN", "~", String(MAX_ENTRIES), "*", ...recordFields(records[0]!)),
    );
  }
  return withState(async (state) => {
    const transaction = state.multi();
    for (const record of records) {
      transaction.xadd(auditKey(), "MAXLEN", "~", String(MAX_ENTRIES), "*", ...recordFields(record));
    }
    const results = await transaction.exec();
    if (!results) throw new Error("Connection is closed.");
    const failed = results.find(([error]) => error)?.[0];
    if (failed) throw failed;
  });
}

/** The spool ids among the newest `count` entries: what a drain that stopped mid-way already wrote. */
export async function recentSpoolIds(count: number): Promise<Set<string>> {
  const rows = await withState((state) => state.xrevrange(auditKey(), "+", "-", "COUNT", count));
  const ids = new Set<string>();
  for (const [, flat] of rows) {
    for (let i = 0; i + 1 < flat.length; i += 2) if (flat[i] === "spoolId") ids.add(flat[i + 1]!);
  }
  return ids;
}

/** Newest first from `end` (an XREVRANGE bound), `count` rows (bounded). */
export async function readStream(end: string, count: number): Promise<[string, string[]][]> {
  return withState((state) => state.xrevrange(auditKey(), end, "-", "COUNT", count));
}
