import "server-only";
import { randomBytes } from "node:crypto";
import { readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import { spoolPaths } from "@/lib/audit/spool-file";

// One drain at a time among the processes sharing a data directory: a lock file created with
// O_EXCL. A drain touches it as it goes; a lock whose process is gone, or untouched for a minute,
// is taken over, so a console that crashed mid-drain does not stop the others for good.

const STALE_AFTER_MS = 60_000;

export interface SpoolLock {
  /** Marks the lock as still held (call between batches); false when another drain took it over. */
  touch(): Promise<boolean>;
  release(): Promise<void>;
}

interface LockOwner {
  token: string;
  pid: number;
  host: string;
}

function processIsGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

async function isStale(file: string): Promise<boolean> {
  try {
    const [text, info] = await Promise.all([readFile(file, "utf8"), stat(file)]);
    if (Date.now() - info.mtimeMs > STALE_AFTER_MS) return true;
    const owner = JSON.parse(text) as Partial<LockOwner>;
    return owner.host === os.hostname() && typeof owner.pid === "number" && processIsGone(owner.pid);
  } catch (error) {
    // Gone already: free. Unreadable (torn by a crash while it was written): stale once old enough.
    return (error as NodeJS.ErrnoException).code === "ENOENT";
  }
}

async function create(file: string, owner: LockOwner): Promise<boolean> {
  try {
    await writeFile(file, JSON.stringify(owner), { flag: "wx", mode: 0o600 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

/** The lock, or null when another drain holds it (that drain will write what waits). */
export async function acquireSpoolLock(): Promise<SpoolLock | null> {
  const file = spoolPaths().lock;
  const owner: LockOwner = { token: randomBytes(8).toString("hex"), pid: process.pid, host: os.hostname() };
  if (!(await create(file, owner))) {
    if (!(await isStale(file))) return null;
    await rm(file, { force: true });
    if (!(await create(file, owner))) return null;
  }
  const stillOurs = async () => {
    try {
      return (JSON.parse(await readFile(file, "utf8")) as LockOwner).token === owner.token;
    } catch {
      return false;
    }
  };
  return {
    async touch() {
      if (!(await stillOurs())) return false;
      const now = new Date();
      await utimes(file, now, now).catch(() => {});
      return true;
    },
    async release() {
      if (await stillOurs()) await rm(file, { force: true });
    },
  };
}
