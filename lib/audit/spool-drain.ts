import "server-only";
import { parseAuditRecord, type AuditRecord } from "@/lib/audit/entry";
import {
  claimSpool,
  drainingLines,
  finishDraining,
  hasDrainingFile,
  readDrainedOffset,
  spoolHasEntries,
  writeDrainedOffset,
} from "@/lib/audit/spool-file";
import { acquireSpoolLock, type SpoolLock } from "@/lib/audit/spool-lock";
import { appendToStream, recentSpoolIds } from "@/lib/audit/stream";
import type { AppError } from "@/lib/errors";
import { toAppError } from "@/lib/redis/errors";

// Moves spooled audit entries into the stream once Redis takes writes again: in file order, in
// all-or-nothing batches, each exactly once. One pass at a time per process (passes queue behind
// each other), one drain at a time per data directory (the lock), retried every few seconds
// while anything waits.

const BATCH = 100;
const RETRY_MS = 5_000;

interface DrainState {
  running: Promise<void> | null;
  /** A pass requested while one runs; it starts after, so it sees what was appended meanwhile. */
  queued: Promise<void> | null;
  timer: ReturnType<typeof setInterval> | null;
  /** Why the stream refused the last write, until a write succeeds. */
  refusal: AppError | null;
}

// On globalThis, like the client registry, so a dev reload does not start a second timer.
const globalDrain = globalThis as unknown as { __auditSpoolDrain?: DrainState };

function state(): DrainState {
  return (globalDrain.__auditSpoolDrain ??= { running: null, queued: null, timer: null, refusal: null });
}

export function noteRefusal(refusal: AppError): void {
  state().refusal = refusal;
}

export function lastRefusal(): AppError | null {
  return state().refusal;
}

/** Retries every few seconds until the spool is empty; does not keep the process alive. */
export function ensureDrainTimer(): void {
  const current = state();
  if (current.timer) return;
  current.timer = setInterval(() => void drainSpool(), RETRY_MS);
  current.timer.unref();
}

function stopDrainTimer(): void {
  const current = state();
  if (current.timer) clearInterval(current.timer);
  current.timer = null;
}

/**
 * Writes what waits on disk to the stream. Resolves when a pass that started after this call
 * ends; never rejects (a refusal is kept for auditBacklog and retried on the timer).
 */
export function drainSpool(): Promise<void> {
  const current = state();
  if (current.queued) return current.queued;
  const pass: Promise<void> = (current.running ?? Promise.resolve()).then(async () => {
    current.queued = null;
    current.running = pass;
    try {
      await drainOnce();
    } finally {
      if (current.running === pass) current.running = null;
    }
  });
  current.queued = pass;
  return pass;
}

/** One pass under the data directory's lock; returns at once when another process holds it. */
export async function drainOnce(): Promise<void> {
  let lock: SpoolLock | null = null;
  try {
    lock = await acquireSpoolLock();
    if (!lock) return;
    let written = 0;
    for (;;) {
      if (!(await hasDrainingFile()) && !(await claimSpool())) break;
      const drained = await drainFile(lock);
      written += drained.written;
      if (!drained.complete) return;
      await finishDraining();
    }
    state().refusal = null;
    if (written > 0) console.error(`[audit] wrote ${written} audit entries kept on disk to the stream`);
  } catch (error) {
    state().refusal = toAppError(error, "console state");
  } finally {
    await lock?.release().catch(() => {});
    const waiting = await spoolHasEntries().catch(() => true);
    if (waiting) ensureDrainTimer();
    else stopDrainTimer();
  }
}

async function drainFile(lock: SpoolLock): Promise<{ complete: boolean; written: number }> {
  // What a drain that stopped between EXEC and saving its offset already wrote, and the first
  // copy of a line a writer wrote twice (see appendToSpool): both are the stream's newest entries.
  const alreadyWritten = await recentSpoolIds(BATCH * 2);
  let batch: AuditRecord[] = [];
  let batchEnd = 0;
  let written = 0;
  const flush = async (): Promise<boolean> => {
    if (batch.length > 0) {
      if (!(await lock.touch())) return false;
      await appendToStream(batch);
      written += batch.length;
      batch = [];
    }
    await writeDrainedOffset(batchEnd);
    return true;
  };
  for await (const { line, end } of drainingLines(await readDrainedOffset())) {
    batchEnd = end;
    const record = parseAuditRecord(line);
    if (!record) {
      if (line.trim())
        console.error("[audit] LOST an audit entry: a line of the spool torn by a crash was skipped");
      continue;
    }
    if (record.spoolId && alreadyWritten.has(record.spoolId)) continue;
    batch.push(record);
    if (batch.length >= BATCH && !(await flush())) return { complete: false, written };
  }
  return { complete: await flush(), written };
}
