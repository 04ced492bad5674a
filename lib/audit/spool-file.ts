import "server-only";
import { statSync } from "node:fs";
import { mkdir, open, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { dataDir } from "@/lib/data-dir";
import type { AuditRecord } from "@/lib/audit/entry";

// The audit spool (DESIGN.md contract 10): entries Redis refused wait here, one JSON line each, in
// the order they happened. New entries are appended to `audit-spool.jsonl`; a drain first renames
// it to `audit-spool.draining.jsonl` (so appends never race the reader) and records in
// `…draining.offset` how many bytes of it already reached the stream.

const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;
const CHUNK_BYTES = 64 * 1024;

export interface SpoolPaths {
  spool: string;
  draining: string;
  offset: string;
  lock: string;
}

export function spoolPaths(): SpoolPaths {
  const dir = dataDir();
  return {
    spool: path.join(dir, "audit-spool.jsonl"),
    draining: path.join(dir, "audit-spool.draining.jsonl"),
    offset: path.join(dir, "audit-spool.draining.offset"),
    lock: path.join(dir, "audit-spool.lock"),
  };
}

function maxSpoolBytes(): number {
  const configured = Number(process.env.CONSOLE_AUDIT_SPOOL_MAX_BYTES);
  return Number.isSafeInteger(configured) && configured > 0 ? configured : DEFAULT_MAX_BYTES;
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === "ENOENT";
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch (error) {
    if (isMissing(error)) return 0;
    throw error;
  }
}

/** A file's size, 0 when it does not exist; read at once, without building an error for "missing". */
function sizeNow(file: string): number {
  return statSync(file, { throwIfNoEntry: false })?.size ?? 0;
}

/**
 * How long both files, seen empty, are believed empty without a look. Only this process writes
 * its data folder's spool in a normal deployment (each instance has a folder of its own), and it
 * forgets the verdict the moment it spools an entry; a look every second still notices another
 * process (a script, an instance sharing the folder) that spooled some.
 */
const EMPTY_BELIEVED_MS = 1_000;

const seen = globalThis as unknown as { __auditSpoolEmptyAt?: number };

/**
 * Whether anything waits on disk; while it does, new entries queue behind it to keep the order.
 * Asked before every audited change, and the answer is nearly always "no": two synchronous looks
 * at the local data folder cost microseconds, where two asynchronous ones cost a round trip each
 * through libuv's thread pool and, the files missing, an exception each (0.1 ms of every edit).
 */
export async function spoolHasEntries(): Promise<boolean> {
  const paths = spoolPaths();
  // The spool first: a drain that claims it between the two looks renames it to the draining
  // file, which the second look then sees. Draining file first, a claim in between hid both, and a
  // writer's next entry went into the stream ahead of the ones it had just spooled.
  const waiting = sizeNow(paths.spool) > 0 || sizeNow(paths.draining) > 0;
  seen.__auditSpoolEmptyAt = waiting ? undefined : Date.now();
  return waiting;
}

/**
 * Whether nothing waits on disk, without looking: both files were seen empty within the last
 * second and this process has spooled nothing since. The two looks cost an audited change about
 * 30 µs of the server's time (measured under load), for an answer that is nearly always "no".
 */
export function spoolKnownEmpty(): boolean {
  const at = seen.__auditSpoolEmptyAt;
  return at !== undefined && Date.now() - at < EMPTY_BELIEVED_MS;
}

// Appends and claims in this process take turns, so a claim never renames the file under a
// write in progress. Another process's claim can still do so; appendLine notices and writes again.
const globalSpool = globalThis as unknown as { __auditSpoolTurn?: Promise<unknown> };

function inTurn<T>(work: () => Promise<T>): Promise<T> {
  const result = (globalSpool.__auditSpoolTurn ?? Promise.resolve()).then(work);
  globalSpool.__auditSpoolTurn = result.catch(() => {});
  return result;
}

/** Appends and flushes the line; answers whether the file written is still the spool (not claimed). */
async function appendLine(file: string, line: string): Promise<boolean> {
  // O_APPEND: every line lands whole at the end, whichever process writes it.
  const handle = await open(file, "a", 0o600);
  try {
    await handle.appendFile(line);
    await handle.sync();
    const written = await handle.stat();
    const current = await stat(file).catch(() => null);
    return current !== null && current.ino === written.ino && current.dev === written.dev;
  } finally {
    await handle.close();
  }
}

/**
 * Appends one line and flushes it to disk before answering. Answers false, writing nothing, when
 * the spool has reached its size limit: the only case an audit entry is lost.
 */
export function appendToSpool(record: AuditRecord): Promise<boolean> {
  // Forgotten now, not when the write's turn comes: an entry written meanwhile must look first.
  seen.__auditSpoolEmptyAt = undefined;
  return inTurn(async () => {
    const paths = spoolPaths();
    const line = `${JSON.stringify(record)}\n`;
    await mkdir(path.dirname(paths.spool), { recursive: true, mode: 0o700 });
    const used = (await sizeOf(paths.spool)) + (await sizeOf(paths.draining));
    if (used + Buffer.byteLength(line) > maxSpoolBytes()) return false;
    for (let attempt = 0; attempt < 3; attempt++) {
      // Claimed by another process mid-write: its drain may have read past the line already, so
      // write it again; the drain skips the copy if the first one went in (same spoolId).
      if (await appendLine(paths.spool, line)) return true;
    }
    return true;
  });
}

/** Makes the appended entries the next ones to drain; false when there are none. */
export function claimSpool(): Promise<boolean> {
  return inTurn(async () => {
    const paths = spoolPaths();
    if ((await sizeOf(paths.spool)) === 0) return false;
    // An offset left by a finished drain must not apply to the new file.
    await rm(paths.offset, { force: true });
    await rename(paths.spool, paths.draining);
    return true;
  });
}

export async function hasDrainingFile(): Promise<boolean> {
  return (await sizeOf(spoolPaths().draining)) > 0;
}

export async function readDrainedOffset(): Promise<number> {
  try {
    const offset = Number((await readFile(/* turbopackIgnore: true */ spoolPaths().offset, "utf8")).trim());
    return Number.isSafeInteger(offset) && offset > 0 ? offset : 0;
  } catch (error) {
    if (isMissing(error)) return 0;
    throw error;
  }
}

/** Records progress atomically (write, then rename), so a crash leaves the old or the new offset. */
export async function writeDrainedOffset(offset: number): Promise<void> {
  const file = spoolPaths().offset;
  await writeFile(`${file}.tmp`, String(offset), { mode: 0o600 });
  await rename(`${file}.tmp`, file);
}

/** The draining file went in whole: remove it first, then its offset (see claimSpool). */
export async function finishDraining(): Promise<void> {
  const paths = spoolPaths();
  await rm(paths.draining, { force: true });
  await rm(paths.offset, { force: true });
}

/** The draining file's lines from byte `from`, each with the offset just past it; read in chunks. */
export async function* drainingLines(from: number): AsyncGenerator<{ line: string; end: number }> {
  let handle;
  try {
    handle = await open(/* turbopackIgnore: true */ spoolPaths().draining, "r");
  } catch (error) {
    if (isMissing(error)) return;
    throw error;
  }
  try {
    const chunk = Buffer.alloc(CHUNK_BYTES);
    let pending = Buffer.alloc(0);
    let position = from;
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, CHUNK_BYTES, position);
      if (bytesRead === 0) break;
      const start = position - pending.length;
      pending = Buffer.concat([pending, chunk.subarray(0, bytesRead)]);
      position += bytesRead;
      let lineStart = 0;
      for (let newline = pending.indexOf(10); newline !== -1; newline = pending.indexOf(10, lineStart)) {
        yield { line: pending.toString("utf8", lineStart, newline), end: start + newline + 1 };
        lineStart = newline + 1;
      }
      pending = pending.subarray(lineStart);
    }
    // A last line without its newline is a write torn by a crash; it is reported by the drain.
    if (pending.length > 0) yield { line: pending.toString("utf8"), end: position };
  } finally {
    await handle.close();
  }
}

async function countLines(file: string, from: number): Promise<number> {
  let handle;
  try {
    handle = await open(file, "r");
  } catch (error) {
    if (isMissing(error)) return 0;
    throw error;
  }
  try {
    const chunk = Buffer.alloc(CHUNK_BYTES);
    let lines = 0;
    let last = 10;
    for (let position = from; ;) {
      const { bytesRead } = await handle.read(chunk, 0, CHUNK_BYTES, position);
      if (bytesRead === 0) break;
      for (let i = 0; i < bytesRead; i++) if (chunk[i] === 10) lines++;
      last = chunk[bytesRead - 1]!;
      position += bytesRead;
    }
    return last === 10 ? lines : lines + 1;
  } finally {
    await handle.close();
  }
}

/** How many entries wait on disk (the part of the draining file not yet written, plus new ones). */
export async function countSpooled(): Promise<number> {
  const paths = spoolPaths();
  const [draining, spool] = await Promise.all([
    countLines(paths.draining, await readDrainedOffset()),
    countLines(paths.spool, 0),
  ]);
  return draining + spool;
}
