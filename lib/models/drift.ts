import "server-only";
import { digestOf } from "@/lib/models/digest";
import { expectedValues } from "@/lib/models/history";
import { withClient } from "@/lib/redis/gate";
import { fromKeyRef } from "@/lib/redis/keys";

// Changes made outside the console are not in the history. This finds the fields whose value is
// no longer what the console last wrote, so the history page can say so instead of misleading.

export interface Drift {
  field: string;
  fieldName: string;
  /** The console's last write to it. */
  at: number;
  user: string;
}

const CHUNK = 1_000;

export async function historyDrift(connectionId: string, key: Buffer): Promise<Drift[]> {
  const expected = await expectedValues(connectionId, key);
  if (expected.length === 0) return [];
  return withClient(connectionId, async (client) => {
    const drift: Drift[] = [];
    for (let i = 0; i < expected.length; i += CHUNK) {
      const chunk = expected.slice(i, i + CHUNK);
      const values = await client.hmgetBuffer(key, ...chunk.map((e) => fromKeyRef(e.field)!));
      chunk.forEach((entry, j) => {
        const current = values[j] ?? null;
        const digest = current && digestOf(current);
        if (digest !== entry.digest) {
          drift.push({ field: entry.field, fieldName: entry.fieldName, at: entry.at, user: entry.user });
        }
      });
    }
    return drift;
  });
}
