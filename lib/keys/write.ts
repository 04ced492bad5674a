import "server-only";
import { isConsoleStateKey } from "@/lib/console-state";
import { AppError } from "@/lib/errors";
import { ttlFromPttl } from "@/lib/keys/metadata";
import { withClient } from "@/lib/redis/gate";
import { displayBytes } from "@/lib/redis/keys";

// The keys browser's two changes, for operators: delete a key (UNLINK, so a big value is freed in
// the background) and set or remove its TTL. The console's own keys are refused.

function assertUserKey(key: Buffer): void {
  if (isConsoleStateKey(key)) {
    throw AppError.of("FORBIDDEN", "consoleKeyReadOnly", { key: displayBytes(key) });
  }
}

/** Deletes the key; answers whether it existed (deleting a missing key changes nothing). */
export async function deleteKey(connectionId: string, key: Buffer): Promise<{ existed: boolean }> {
  assertUserKey(key);
  return withClient(connectionId, async (client) => ({ existed: (await client.unlink(key)) === 1 }));
}

export interface TtlChange {
  /** Seconds to live before the change; null when the key did not expire. */
  previousTtlSeconds: number | null;
  ttlSeconds: number | null;
}

/** Sets the key's TTL (EXPIRE), or removes it with `null` (PERSIST); NOT_FOUND for a missing key. */
export async function setTtl(connectionId: string, key: Buffer, seconds: number | null): Promise<TtlChange> {
  assertUserKey(key);
  if (seconds !== null && (!Number.isSafeInteger(seconds) || seconds < 1)) {
    throw AppError.of("INVALID", "ttlWholeSeconds");
  }
  return withClient(connectionId, async (client) => {
    // One transaction: the TTL shown as "before" is the one this change replaced.
    const transaction = client.multi().pttl(key);
    if (seconds === null) transaction.persist(key);
    else transaction.expire(key, seconds);
    const results = (await transaction.exec()) ?? [];
    const [pttl, changed] = results.map(([error, value]) => {
      if (error) throw error;
      return value;
    });
    if (pttl === -2) throw AppError.of("NOT_FOUND", "noSuchKey", { key: displayBytes(key) });
    if (seconds !== null && changed !== 1) {
      throw AppError.of("NOT_FOUND", "noSuchKey", { key: displayBytes(key) });
    }
    return { previousTtlSeconds: ttlFromPttl(pttl), ttlSeconds: seconds };
  });
}
