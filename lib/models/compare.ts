import "server-only";
import { assertHash } from "@/lib/models/fields";
import type { RedisClient } from "@/lib/redis/client";
import { withClient } from "@/lib/redis/gate";
import { displayBytes, toKeyRef } from "@/lib/redis/keys";
import { describeValue } from "@/lib/values/describe";
import type { ValueView } from "@/lib/values/types";

// Two hashes side by side: fields only in one, fields that differ (with the numeric delta), and
// fields that are equal. Both are read with HSCAN up to a cap, and the answer says when it was cut.

export const COMPARE_CAP = 50_000;
const EQUAL_LISTED = 500;

export interface ComparedField {
  ref: string;
  name: string;
}

export interface ModelComparison {
  a: { ref: string; key: string; fields: number };
  b: { ref: string; key: string; fields: number };
  onlyA: (ComparedField & { value: ValueView })[];
  onlyB: (ComparedField & { value: ValueView })[];
  differ: (ComparedField & { a: ValueView; b: ValueView; delta: number | null })[];
  /** The first equal fields, for a collapsed list; `equalCount` has them all. */
  equal: (ComparedField & { value: ValueView })[];
  equalCount: number;
  /** A hash had more than COMPARE_CAP fields: only the first COMPARE_CAP of each were compared. */
  truncated: boolean;
}

async function readHash(
  client: RedisClient,
  key: Buffer,
): Promise<{ map: Map<string, [Buffer, Buffer]>; cut: boolean }> {
  const map = new Map<string, [Buffer, Buffer]>();
  let cursor = "0";
  do {
    const [next, flat] = (await client.callBuffer("HSCAN", key, cursor, "COUNT", 1_000)) as [
      Buffer,
      Buffer[],
    ];
    for (let i = 0; i + 1 < flat.length; i += 2)
      map.set(flat[i]!.toString("base64"), [flat[i]!, flat[i + 1]!]);
    cursor = next.toString();
  } while (cursor !== "0" && map.size < COMPARE_CAP);
  return { map, cut: cursor !== "0" };
}

function numeric(view: ValueView): number | null {
  return view.kind === "integer" || view.kind === "float" ? (view.number ?? null) : null;
}

function byName(x: ComparedField, y: ComparedField): number {
  return x.name.localeCompare(y.name, "en", { numeric: true });
}

export async function compareModels(connectionId: string, a: Buffer, b: Buffer): Promise<ModelComparison> {
  return withClient(connectionId, async (client) => {
    const [typeA, typeB] = await Promise.all([client.type(a), client.type(b)]);
    assertHash(typeA, a);
    assertHash(typeB, b);
    const [left, right] = await Promise.all([readHash(client, a), readHash(client, b)]);
    const result: ModelComparison = {
      a: { ref: toKeyRef(a), key: displayBytes(a), fields: await client.hlen(a) },
      b: { ref: toKeyRef(b), key: displayBytes(b), fields: await client.hlen(b) },
      onlyA: [],
      onlyB: [],
      differ: [],
      equal: [],
      equalCount: 0,
      truncated: left.cut || right.cut,
    };
    for (const [id, [field, value]] of left.map) {
      const named = { ref: toKeyRef(field), name: displayBytes(field) };
      const other = right.map.get(id);
      if (!other) result.onlyA.push({ ...named, value: describeValue(value) });
      else if (other[1].equals(value)) {
        result.equalCount += 1;
        if (result.equal.length < EQUAL_LISTED) result.equal.push({ ...named, value: describeValue(value) });
      } else {
        const [viewA, viewB] = [describeValue(value), describeValue(other[1])];
        const [numA, numB] = [numeric(viewA), numeric(viewB)];
        result.differ.push({
          ...named,
          a: viewA,
          b: viewB,
          delta: numA !== null && numB !== null ? numB - numA : null,
        });
      }
    }
    for (const [id, [field, value]] of right.map) {
      if (!left.map.has(id))
        result.onlyB.push({ ref: toKeyRef(field), name: displayBytes(field), value: describeValue(value) });
    }
    for (const list of [result.onlyA, result.onlyB, result.differ, result.equal]) list.sort(byName);
    return result;
  });
}
