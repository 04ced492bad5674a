import "server-only";
import { AppError } from "@/lib/errors";
import { digestOf } from "@/lib/models/digest";
import { assertHash } from "@/lib/models/fields";
import { parseEntries, TransferError, type TransferFormat } from "@/lib/models/transfer";
import type { FieldChange } from "@/lib/models/types";
import { MAX_CHANGES } from "@/lib/models/write";
import type { RedisClient } from "@/lib/redis/client";
import { withClient } from "@/lib/redis/gate";
import { displayBytes, toKeyRef } from "@/lib/redis/keys";
import { describeValue } from "@/lib/values/describe";
import type { ValueView } from "@/lib/values/types";

// Bulk edit, step one: what an uploaded JSON or CSV would change. Nothing is written here; the
// returned changes carry the digests they were based on, so applying them later is a
// compare-and-set of the whole batch.

export interface BulkRow {
  ref: string;
  name: string;
  old: ValueView | null;
  new: ValueView | null;
}

export interface BulkPreview {
  added: BulkRow[];
  changed: BulkRow[];
  removed: BulkRow[];
  unchanged: number;
  changes: FieldChange[];
}

const READ_CHUNK = 1_000;
const REMOVE_SCAN_CAP = 200_000;

async function currentValues(client: RedisClient, key: Buffer, fields: Buffer[]): Promise<(Buffer | null)[]> {
  const values: (Buffer | null)[] = [];
  for (let i = 0; i < fields.length; i += READ_CHUNK) {
    values.push(...(await client.hmgetBuffer(key, ...fields.slice(i, i + READ_CHUNK))));
  }
  return values;
}

async function fieldsNotIn(client: RedisClient, key: Buffer, keep: Set<string>): Promise<[Buffer, Buffer][]> {
  const missing: [Buffer, Buffer][] = [];
  let cursor = "0";
  let seen = 0;
  do {
    const [next, flat] = (await client.callBuffer("HSCAN", key, cursor, "COUNT", 1_000)) as [
      Buffer,
      Buffer[],
    ];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      if (!keep.has(flat[i]!.toString("base64"))) missing.push([flat[i]!, flat[i + 1]!]);
    }
    seen += flat.length / 2;
    cursor = next.toString();
  } while (cursor !== "0" && seen < REMOVE_SCAN_CAP);
  if (cursor !== "0") {
    throw AppError.of("INVALID", "hashTooLargeToReplace");
  }
  return missing;
}

export async function previewBulk(
  connectionId: string,
  key: Buffer,
  text: string,
  format: TransferFormat,
  removeMissing: boolean,
): Promise<BulkPreview> {
  let entries;
  try {
    entries = parseEntries(text, format).entries;
  } catch (error) {
    if (error instanceof TransferError) {
      throw error.key
        ? AppError.of("INVALID", error.key, error.values)
        : new AppError("INVALID", error.message);
    }
    throw error;
  }
  if (entries.length === 0) throw AppError.of("INVALID", "uploadEmpty");
  return withClient(connectionId, async (client) => {
    assertHash(await client.type(key), key);
    const current = await currentValues(
      client,
      key,
      entries.map((e) => e.field),
    );
    const preview: BulkPreview = { added: [], changed: [], removed: [], unchanged: 0, changes: [] };
    entries.forEach(({ field, value }, i) => {
      const old = current[i] ?? null;
      if (old?.equals(value)) {
        preview.unchanged += 1;
        return;
      }
      const row = {
        ref: toKeyRef(field),
        name: displayBytes(field),
        old: old && describeValue(old),
        new: describeValue(value),
      };
      (old ? preview.changed : preview.added).push(row);
      preview.changes.push({ field: row.ref, expected: old ? digestOf(old) : null, value: toKeyRef(value) });
    });
    if (removeMissing) {
      const keep = new Set(entries.map((e) => e.field.toString("base64")));
      for (const [field, value] of await fieldsNotIn(client, key, keep)) {
        preview.removed.push({
          ref: toKeyRef(field),
          name: displayBytes(field),
          old: describeValue(value),
          new: null,
        });
        preview.changes.push({ field: toKeyRef(field), expected: digestOf(value), value: null });
      }
    }
    if (preview.changes.length > MAX_CHANGES) {
      throw AppError.of("INVALID", "tooManyBulkChanges", { count: preview.changes.length, max: MAX_CHANGES });
    }
    return preview;
  });
}
