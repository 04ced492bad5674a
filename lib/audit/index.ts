import "server-only";
import { randomBytes } from "node:crypto";
import {
  toAuditEntry,
  toAuditRecord,
  type AuditEntry,
  type AuditInput,
  type AuditRecord,
} from "@/lib/audit/entry";
import { drainSpool, ensureDrainTimer, lastRefusal, noteRefusal } from "@/lib/audit/spool-drain";
import { appendToSpool, countSpooled, spoolHasEntries, spoolKnownEmpty } from "@/lib/audit/spool-file";
import { appendToStream, readStream } from "@/lib/audit/stream";
import { AppError, englishError, type ErrorCode, type ErrorKey, type ErrorTranslator } from "@/lib/errors";
import { toAppError } from "@/lib/redis/errors";

// The audit log (DESIGN.md contracts 6 and 10): every change goes to a Redis stream in console
// state. When the stream refuses a write, the entry waits in a spool file under the data
// directory and goes in, in order, when Redis takes writes again. Nothing is lost unless the
// spool reaches its size limit, and that is logged with a count.

export type { AuditDescription, AuditEntry, AuditInput } from "@/lib/audit/entry";
export { auditKey } from "@/lib/audit/stream";
export { drainSpool as drainAuditSpool } from "@/lib/audit/spool-drain";

const globalLoss = globalThis as unknown as { __auditLost?: { count: number; loggedAt: number } };

function noteLost(entry: AuditInput, why: string): void {
  const loss = (globalLoss.__auditLost ??= { count: 0, loggedAt: 0 });
  loss.count += 1;
  // Loud, but at most every few seconds: a flood of refused sign-ins must not flood the log too.
  if (loss.count === 1 || Date.now() - loss.loggedAt > 5_000) {
    loss.loggedAt = Date.now();
    console.error(
      `[audit] LOST audit entry "${entry.action}" by ${entry.user}: ${why}. ` +
        `${loss.count} audit entries lost since this console started.`,
    );
  }
}

async function spool(entry: AuditInput, record: AuditRecord): Promise<void> {
  // Unique per entry, so a drain that stopped mid-batch can tell what already went in.
  record.spoolId = randomBytes(8).toString("hex");
  if (!(await appendToSpool(record))) noteLost(entry, "the audit spool on disk is full");
}

/**
 * Appends entries (one change's, in order) in one write; resolves when they are in the stream or
 * safely on disk, and never throws: an audit failure must not undo or hide the change it describes.
 */
export function writeAudit(entries: AuditInput | AuditInput[]): Promise<void> {
  const inputs = Array.isArray(entries) ? entries : [entries];
  if (inputs.length === 0) return Promise.resolve();
  const now = Date.now();
  const records = inputs.map((entry) => toAuditRecord(entry, now));
  // The usual case, the spool seen empty just now: straight to the stream, the XADD's promise and
  // one handler, with no async layers around them (bench/RESULTS.md).
  if (spoolKnownEmpty()) {
    return appendToStream(records).then(
      () => undefined,
      (error: unknown) => keepOnDisk(inputs, records, error),
    );
  }
  return writeBehindSpool(inputs, records);
}

/** writeAudit when the spool may hold entries: these go behind them, so the stream keeps the order. */
async function writeBehindSpool(inputs: AuditInput[], records: AuditRecord[]): Promise<void> {
  // A data folder that cannot be read must not keep entries from the stream.
  if (await spoolHasEntries().catch(() => false)) {
    await spoolAll(inputs, records);
    // The entries are on disk now; a drain that fails leaves them there for the drain timer.
    await drainSpool().catch(() => undefined);
    return;
  }
  try {
    await appendToStream(records);
  } catch (error) {
    await keepOnDisk(inputs, records, error);
  }
}

/** Hands the entries to the spool, in order; those it could not take are counted lost. */
async function spoolAll(inputs: AuditInput[], records: AuditRecord[]): Promise<void> {
  let settled = 0;
  try {
    for (; settled < inputs.length; settled++) await spool(inputs[settled]!, records[settled]!);
  } catch (error) {
    const why = `the audit spool cannot be written (${(error as NodeJS.ErrnoException).code ?? "error"})`;
    for (const entry of inputs.slice(settled)) noteLost(entry, why);
  }
}

/** The stream refused the entries: they wait on disk, and a timer drains them when Redis takes writes. */
async function keepOnDisk(inputs: AuditInput[], records: AuditRecord[], error: unknown): Promise<void> {
  const refusal = toAppError(error, "console state");
  noteRefusal(refusal);
  console.error(
    `[audit] the audit stream refused "${inputs[0]!.action}"${inputs.length > 1 ? ` and ${inputs.length - 1} more` : ""} (${refusal.code}); keeping ${inputs.length > 1 ? "them" : "it"} on disk`,
  );
  await spoolAll(inputs, records);
  ensureDrainTimer();
}

export interface AuditBacklog {
  /** Entries kept on disk, waiting for the stream. */
  waiting: number;
  /** Why the stream refused them, in words for a person; absent when not known here. */
  reason?: string;
  /** Entries this console lost because the spool was full or unwritable. */
  lost?: number;
}

const REASONS: Partial<Record<ErrorCode, ErrorKey>> = {
  OUT_OF_MEMORY: "backlogOutOfMemory",
  UNAVAILABLE: "backlogUnavailable",
  TIMEOUT: "backlogTimeout",
  FORBIDDEN: "backlogForbidden",
};

/**
 * What waits to be written, and why (in the language of `translate`). Asking starts the retry
 * timer when something waits.
 */
export async function auditBacklog(translate: ErrorTranslator = englishError): Promise<AuditBacklog> {
  let waiting: number;
  try {
    waiting = await countSpooled();
  } catch {
    throw AppError.of("UNAVAILABLE", "auditSpoolUnreadable");
  }
  const lost = globalLoss.__auditLost?.count;
  const backlog: AuditBacklog = lost ? { waiting, lost } : { waiting };
  if (waiting === 0) return backlog;
  ensureDrainTimer();
  const refusal = lastRefusal();
  return refusal ? { ...backlog, reason: translate(REASONS[refusal.code] ?? "backlogRefused") } : backlog;
}

/** A console restarted with entries on disk starts writing them without waiting for a change. */
export async function resumeAuditSpool(): Promise<void> {
  if (await spoolHasEntries().catch(() => false)) {
    ensureDrainTimer();
    void drainSpool();
  }
}

export interface AuditPage {
  entries: AuditEntry[];
  /** Pass as `before` to read the next (older) page; null at the end. */
  nextCursor: string | null;
}

/** What the audit page reads: one page of the stream, and what still waits on disk. */
export interface AuditLogAnswer extends AuditPage {
  backlog: AuditBacklog;
}

const STREAM_ID = /^\d+-\d+$/;

/** Newest first, `count` at a time, read with XREVRANGE … COUNT (bounded). */
export async function listAudit(options: { before?: string; count?: number } = {}): Promise<AuditPage> {
  const count = Math.min(Math.max(options.count ?? 50, 1), 500);
  if (options.before !== undefined && !STREAM_ID.test(options.before)) {
    throw AppError.of("INVALID", "auditCursorMalformed");
  }
  const rows = await readStream(options.before ? `(${options.before}` : "+", count + 1);
  const entries = rows.slice(0, count).map(([id, flat]) => toAuditEntry(id, flat));
  return { entries, nextCursor: rows.length > count ? entries[entries.length - 1]!.id : null };
}
