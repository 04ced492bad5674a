import { beforeAll, describe, expect, it } from "vitest";
import { readFieldPage } from "@/lib/models/fields";
import type { ModelField } from "@/lib/models/types";
import { fromKeyRef, toKeyRef } from "@/lib/redis/keys";
import { bytes, notAHash, sha1, sorted, writeHash, type Bytes } from "@/tests/helpers/models";
import { withConsoleRedis } from "@/tests/helpers/redis";

// lib/models/fields.ts: a model's parameters, one HSCAN page at a time.
// `redis.client` plays the training job that writes models with HSET, and checks what Redis holds.
const CONN = "main";
const redis = withConsoleRedis(CONN);

/** Every page of a hash's fields, collected by ref. */
async function readAllFields(
  key: Bytes,
  options: { match?: string; count?: number } = {},
): Promise<{ fields: Map<string, ModelField>; pages: number; totals: Set<number> }> {
  const fields = new Map<string, ModelField>();
  const totals = new Set<number>();
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await readFieldPage(CONN, bytes(key), { ...options, cursor });
    pages += 1;
    totals.add(page.total);
    for (const field of page.fields) fields.set(field.ref, field);
    cursor = page.cursor;
    if (pages > 10_000) throw new Error("the field pages never reached their end");
  } while (cursor !== "0");
  return { fields, pages, totals };
}

function float32Blob(values: number[]): Buffer {
  const blob = Buffer.alloc(values.length * 4);
  values.forEach((value, i) => blob.writeFloatLE(value, i * 4));
  return blob;
}

describe("reading a model's fields", () => {
  const WIDE = "model:wide:v1";

  beforeAll(async () => {
    await writeHash(
      redis.client,
      WIDE,
      Array.from({ length: 5_000 }, (_, i): [string, string] => [`f${i}`, String(i)]),
    );
  });

  it("pages through 5,000 fields 100 at a time and returns every field", async () => {
    const { fields, pages, totals } = await readAllFields(WIDE, { count: 100 });

    expect(pages).toBeGreaterThanOrEqual(25);
    expect(totals).toEqual(new Set([5_000]));
    expect(fields.size).toBe(5_000);
    for (let i = 0; i < 5_000; i++) {
      expect(fields.get(toKeyRef(`f${i}`))).toMatchObject({
        name: `f${i}`,
        value: { kind: "integer", display: String(i) },
      });
    }
  });

  it("filters by a glob: f12* finds f12, f120…f129 and f1200…f1299", async () => {
    const { fields, totals } = await readAllFields(WIDE, { match: "f12*", count: 1_000 });
    const expected = [12, ...Array.from({ length: 10 }, (_, i) => 120 + i)];
    expected.push(...Array.from({ length: 100 }, (_, i) => 1_200 + i));

    expect(sorted([...fields.values()].map((f) => f.name))).toEqual(sorted(expected.map((i) => `f${i}`)));
    expect(totals).toEqual(new Set([5_000]));
  });

  it("types each value and carries the SHA-1 of its bytes", async () => {
    const key = "model:typed:v1";
    const vector = float32Blob(Array.from({ length: 16 }, (_, i) => i / 16 - 0.5));
    const values: Record<string, Buffer> = {
      epochs: Buffer.from("42"),
      learning_rate: Buffer.from("-0.005"),
      layers: Buffer.from('{"hidden":[64,32]}'),
      embedding: vector,
      shuffle: Buffer.from("true"),
      activation: Buffer.from("relu"),
      checksum: Buffer.from([0xff, 0x00, 0x01]),
    };
    await writeHash(redis.client, key, Object.entries(values));

    const page = await readFieldPage(CONN, Buffer.from(key));
    const byName = new Map(page.fields.map((field) => [field.name, field]));

    expect(page).toMatchObject({ cursor: "0", total: 7 });
    expect(byName.get("epochs")?.value).toMatchObject({ kind: "integer", number: 42 });
    expect(byName.get("learning_rate")?.value).toMatchObject({ kind: "float", number: -0.005 });
    expect(byName.get("layers")?.value).toMatchObject({ kind: "json", json: { hidden: [64, 32] } });
    expect(byName.get("embedding")?.value).toMatchObject({ kind: "vector", vector: { length: 16 } });
    expect(byName.get("shuffle")?.value.kind).toBe("boolean");
    expect(byName.get("activation")?.value).toMatchObject({ kind: "text", display: "relu" });
    expect(byName.get("checksum")?.value).toMatchObject({ kind: "binary", display: "ff 00 01", size: 3 });
    for (const [name, value] of Object.entries(values)) expect(byName.get(name)?.digest).toBe(sha1(value));
  });

  it("round-trips a binary field name through its ref", async () => {
    const key = "model:binary_field:v1";
    const field = Buffer.concat([Buffer.from([0xff, 0x00, 0x0a]), Buffer.from("🧠")]);
    await redis.client.hset(key, field, "1", "plain", "2");

    const { fields } = await readAllFields(key);
    const found = [...fields.values()].filter((f) => fromKeyRef(f.ref)?.equals(field));

    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ name: "\\xff\\x00\\n🧠", value: { display: "1" }, digest: sha1("1") });
  });

  it("says a string is not a hash, a missing key is not found, and a bad cursor is malformed", async () => {
    await redis.client.set("model:plain_string", "hello");
    await expect(readFieldPage(CONN, Buffer.from("model:plain_string"))).rejects.toMatchObject(
      notAHash("model:plain_string"),
    );
    await expect(readFieldPage(CONN, Buffer.from("model:missing:v1"))).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: "There is no key named model:missing:v1.",
    });
    for (const cursor of ["abc", "-1", "1.5", ""]) {
      await expect(readFieldPage(CONN, Buffer.from(WIDE), { cursor })).rejects.toMatchObject({
        code: "INVALID",
        message: "That page cursor is malformed; start from the first page.",
      });
    }
    await expect(
      readFieldPage(CONN, Buffer.from(WIDE), { cursor: "99999999999999999999999" }),
    ).rejects.toMatchObject({ code: "INVALID" });
  });
});
