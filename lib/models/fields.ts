import "server-only";
import { AppError } from "@/lib/errors";
import { digestOf } from "@/lib/models/digest";
import type { FieldPage, ModelField } from "@/lib/models/types";
import { withClient } from "@/lib/redis/gate";
import { displayBytes, toKeyRef } from "@/lib/redis/keys";
import { describeValue } from "@/lib/values/describe";

// A model's parameters, one HSCAN page at a time (never HGETALL: a hash may hold 100,000 fields).

export const MAX_PAGE = 1_000;

export function toModelField(field: Buffer, value: Buffer): ModelField {
  return {
    ref: toKeyRef(field),
    name: displayBytes(field),
    value: describeValue(value),
    digest: digestOf(value),
  };
}

/** Throws NOT_FOUND / INVALID (with the key's real type) unless `key` is a hash. */
export function assertHash(type: string, key: Buffer): void {
  if (type === "none") throw AppError.of("NOT_FOUND", "noSuchKey", { key: displayBytes(key) });
  if (type !== "hash") {
    throw AppError.of("INVALID", "notAHashForModel", { key: displayBytes(key), type });
  }
}

/**
 * How far an HSCAN cursor has got through a hash of `total` fields. Redis walks its table in
 * reverse-binary bucket order, so the cursor with its low `bits` reversed is the number of buckets
 * already visited, out of 2^bits (the table holds about the next power of two of `total`).
 */
export function scannedSoFar(cursor: string, total: number): number {
  if (cursor === "0" || total <= 0) return Math.max(total, 0);
  // Up to 15 digits the cursor is exact as a Number (below 2^53), which is cheaper than BigInt.
  if (cursor.length > 15) return scannedSoFarOfBigCursor(BigInt(cursor), total);
  let position = Number(cursor);
  let bits = Math.max(1, Math.ceil(Math.log2(total)));
  while (position >= 2 ** bits) bits += 1;
  let reversed = 0;
  for (let i = 0; i < bits; i++) {
    reversed = reversed * 2 + (position % 2);
    position = Math.floor(position / 2);
  }
  return Math.min(total, Math.round((reversed / 2 ** bits) * total));
}

function scannedSoFarOfBigCursor(position: bigint, total: number): number {
  let bits = Math.max(1, Math.ceil(Math.log2(total)));
  while (position >> BigInt(bits) > 0n) bits += 1;
  let reversed = 0n;
  for (let i = 0; i < bits; i++) reversed = (reversed << 1n) | ((position >> BigInt(i)) & 1n);
  const fraction = Number(reversed) / 2 ** bits;
  return Math.min(total, Math.round(fraction * total));
}

export async function readFieldPage(
  connectionId: string,
  key: Buffer,
  options: { cursor?: string; match?: string; count?: number } = {},
): Promise<FieldPage> {
  const count = Math.min(Math.max(options.count ?? 100, 1), MAX_PAGE);
  if (options.cursor !== undefined && !/^\d+$/.test(options.cursor)) {
    throw AppError.of("INVALID", "pageCursorMalformed");
  }
  return withClient(connectionId, async (client) => {
    // One round trip: the type check, the size and the page travel together.
    const args: (string | number | Buffer)[] = [key, options.cursor ?? "0"];
    if (options.match) args.push("MATCH", options.match);
    args.push("COUNT", count);
    // Settled, not all: on a key of another type HLEN and HSCAN fail, and the type says why.
    const [type, length, scan] = await Promise.allSettled([
      client.type(key),
      client.hlen(key),
      client.callBuffer("HSCAN", ...args),
    ]);
    if (type.status === "rejected") throw type.reason;
    assertHash(type.value, key);
    if (scan.status === "rejected") throw scan.reason;
    const total = length.status === "fulfilled" ? length.value : 0;
    const [next, flat] = scan.value as [Buffer, Buffer[]];
    const fields: ModelField[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) fields.push(toModelField(flat[i]!, flat[i + 1]!));
    const cursor = next.toString();
    return { fields, cursor, total, scanned: scannedSoFar(cursor, total) };
  });
}
