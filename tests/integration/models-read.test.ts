import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { previewBulk } from "@/lib/models/bulk";
import { compareModels } from "@/lib/models/compare";
import { exportModel } from "@/lib/models/export";
import { readFieldPage } from "@/lib/models/fields";
import { recordChanges } from "@/lib/models/history";
import {
  listModels,
  pinModel,
  SCAN_CALLS_PER_PAGE,
  type ModelListPage,
  type ModelRow,
} from "@/lib/models/list";
import { getModelSummary } from "@/lib/models/summary";
import { parseEntries, type TransferFormat } from "@/lib/models/transfer";
import type { ModelField } from "@/lib/models/types";
import { applyChanges } from "@/lib/models/write";
import { fromKeyRef, toKeyRef } from "@/lib/redis/keys";
import { withConsoleRedis } from "@/tests/helpers/redis";

// `redis.client` plays the training job that writes models with HSET, and checks what Redis holds.
const CONN = "main";
const redis = withConsoleRedis(CONN);

type Bytes = string | Buffer;
const bytes = (value: Bytes) => (typeof value === "string" ? Buffer.from(value) : value);
const sha1 = (value: Bytes) => createHash("sha1").update(bytes(value)).digest("hex");
const sorted = (items: Iterable<string>) => [...items].sort();

/** Writes a hash in chunks, as a job writing a big model would. */
async function writeHash(key: Bytes, entries: [Bytes, Bytes][]): Promise<void> {
  for (let i = 0; i < entries.length; i += 1_000) {
    await redis.client.hset(key, ...entries.slice(i, i + 1_000).flat());
  }
}

/** Every page of the list, following the cursor until "" as the page does when scrolled. */
async function listAll(search?: string): Promise<{ pages: ModelListPage[]; rows: ModelRow[] }> {
  const pages: ModelListPage[] = [];
  let cursor: string | undefined;
  do {
    const page = await listModels(CONN, cursor === undefined ? { search } : { cursor, search });
    pages.push(page);
    cursor = page.cursor;
    if (pages.length > 50) throw new Error("the models list never reached its end");
  } while (cursor);
  return { pages, rows: pages.flatMap((page) => page.rows) };
}

/** Keys listed, deduplicated by ref (the caller's job), as displayed. */
function listedKeys(rows: ModelRow[]): string[] {
  const byRef = new Map(rows.map((row) => [row.ref, row.key]));
  return sorted(byRef.values());
}

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

async function exportText(key: Bytes, format: TransferFormat): Promise<string> {
  return new Response(await exportModel(CONN, bytes(key), format)).text();
}

/** Entries as comparable pairs of base64 (exact bytes), sorted by field. */
function asPairs(entries: { field: Buffer; value: Buffer }[]): [string, string][] {
  return entries
    .map(({ field, value }): [string, string] => [field.toString("base64"), value.toString("base64")])
    .sort(([a], [b]) => a.localeCompare(b));
}

function float32Blob(values: number[]): Buffer {
  const blob = Buffer.alloc(values.length * 4);
  values.forEach((value, i) => blob.writeFloatLE(value, i * 4));
  return blob;
}

const notAHash = (key: string) => ({
  code: "INVALID",
  message: `${key} is a string, not a hash: it cannot hold model parameters.`,
});

describe("the models list", () => {
  const versionsOf = (name: string, count: number) =>
    Array.from({ length: count }, (_, i) => `model:${name}:v${i + 1}`);
  const CHURN = [...versionsOf("churn_classifier", 4), ...versionsOf("churn_xgb", 2)];
  const MODELS = [
    ...CHURN,
    ...versionsOf("fraud_detector", 5),
    ...versionsOf("recommender", 6),
    ...versionsOf("embeddings", 3),
    "model:linear_regression:v2",
    "model:ttl_model:v1",
    "model:a*b:v1",
    "model:aXb:v1",
    "model:a*xb:v1",
  ];
  const NOT_HASHES = ["model:churn_notes", "model:readme", "model:fraud_detector:latest"];
  const fieldCount = (key: string) => (MODELS.indexOf(key) % 5) + 1;
  // A page may examine this many keys (SCAN COUNT 1000 per call), plus one call's worth.
  const BUDGET = SCAN_CALLS_PER_PAGE * 1_000;
  // Enough keys that listing takes more than one page, and more than a summary scans for versions.
  const FILLER = Math.max(150_000, Math.ceil(BUDGET * 1.5));

  beforeAll(async () => {
    expect(MODELS).toHaveLength(25);
    // Keys that are not models: cached results (strings) and feature hashes outside model:*.
    const pipeline = redis.client.pipeline();
    for (let i = 0; i < FILLER - 200; i += 1_000) {
      const chunk: string[] = [];
      for (let j = i; j < Math.min(i + 1_000, FILLER - 200); j++) chunk.push(`cache:result:${j}`, `${j}`);
      pipeline.mset(...chunk);
    }
    for (let i = 0; i < 200; i++) pipeline.hset(`feature:churn:${i}`, "tenure", String(i));
    for (const key of MODELS) {
      const fields = Array.from({ length: fieldCount(key) }, (_, i) => [`p${i}`, String(i / 4)]);
      pipeline.hset(key, ...fields.flat());
    }
    for (const key of NOT_HASHES) pipeline.set(key, "not a model");
    pipeline.hset("linear_regression", "coefficient", "1.5", "intercept", "2.3");
    pipeline.expire("model:ttl_model:v1", 3_600);
    const results = (await pipeline.exec()) ?? [];
    expect(results.filter(([error]) => error)).toEqual([]);
    expect(await redis.client.dbsize()).toBe(FILLER + MODELS.length + NOT_HASHES.length + 1);
  });

  // The describes below check their own behaviour on a small database.
  afterAll(async () => {
    await redis.client.flushdb();
  });

  it("pages through the whole database within a budget per page and lists every model hash, and only hashes", async () => {
    const { pages, rows } = await listAll();

    const dbSize = await redis.client.dbsize();
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) {
      expect(page.examined).toBeGreaterThan(0);
      expect(page.examined).toBeLessThanOrEqual(BUDGET + 1_000);
      expect(page.dbSize).toBe(dbSize);
      expect(page.patterns).toEqual(["model:*"]);
    }
    expect(pages.at(-1)?.cursor).toBe("");
    expect(listedKeys(rows)).toEqual(sorted(MODELS));
    for (const row of rows) expect(fromKeyRef(row.ref)?.toString()).toBe(row.key);
  });

  it("refuses a malformed list cursor", async () => {
    await expect(listModels(CONN, { cursor: "not-a-cursor" })).rejects.toMatchObject({
      code: "INVALID",
      message: "That list cursor is malformed; start from the first page.",
    });
  });

  it("narrows to churn models when searching churn, with name and version read from the key", async () => {
    const { rows } = await listAll("churn");

    expect(listedKeys(rows)).toEqual(sorted(CHURN));
    expect(rows.find((row) => row.key === "model:churn_classifier:v3")).toMatchObject({
      name: "churn_classifier",
      version: 3,
      pinned: false,
    });
  });

  it("matches a search with glob characters literally: a*b finds model:a*b only", async () => {
    const { rows } = await listAll("a*b");
    expect(listedKeys(rows)).toEqual(["model:a*b:v1"]);
  });

  it("lists a hash outside model:* first when its exact name is searched, and not otherwise", async () => {
    const exact = await listModels(CONN, { search: "linear_regression" });
    expect(exact.rows[0]).toMatchObject({
      key: "linear_regression",
      name: "linear_regression",
      version: null,
    });

    const all = await listAll("linear_regression");
    expect(listedKeys(all.rows)).toEqual(["linear_regression", "model:linear_regression:v2"]);

    const partial = await listAll("linear");
    expect(listedKeys(partial.rows)).toEqual(["model:linear_regression:v2"]);
    // A string under model:* typed by its exact name is still not a model.
    const stringKey = await listAll("model:churn_notes");
    expect(listedKeys(stringKey.rows)).toEqual([]);
  });

  it("refuses to pin a string (it is not a hash) and a missing key, and lists neither", async () => {
    await expect(pinModel(CONN, Buffer.from("model:readme"))).rejects.toMatchObject(notAHash("model:readme"));
    await expect(pinModel(CONN, Buffer.from("no_such_model"))).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: "There is no key named no_such_model.",
    });

    const first = await listModels(CONN);
    expect(first.rows.map((row) => row.key)).not.toContain("model:readme");
    expect(first.rows.map((row) => row.key)).not.toContain("no_such_model");
  });

  it("lists a pinned hash first on every first page, and not again on later pages", async () => {
    expect(await pinModel(CONN, Buffer.from("linear_regression"))).toEqual({
      ref: toKeyRef("linear_regression"),
    });

    const { pages, rows } = await listAll();
    expect(pages[0]?.rows[0]).toMatchObject({ key: "linear_regression", pinned: true, fields: 2 });
    expect(pages.slice(1).flatMap((page) => page.rows.map((row) => row.key))).not.toContain(
      "linear_regression",
    );
    expect(listedKeys(rows)).toEqual(sorted([...MODELS, "linear_regression"]));

    const searched = await listModels(CONN, { search: "regression" });
    expect(searched.rows[0]).toMatchObject({ key: "linear_regression", pinned: true });
    // A search the pinned hash does not match leaves it out.
    expect(listedKeys((await listAll("churn")).rows)).toEqual(sorted(CHURN));
  });

  it("shows each row's field count, memory and time to live", async () => {
    const { rows } = await listAll("ttl_model");
    const [expiring] = rows;
    expect(rows).toHaveLength(1);
    expect(expiring).toMatchObject({ key: "model:ttl_model:v1", fields: fieldCount("model:ttl_model:v1") });
    expect(expiring?.ttlSeconds).toBeGreaterThan(3_590);
    expect(expiring?.ttlSeconds).toBeLessThanOrEqual(3_600);

    const recommender = (await listAll("recommender:v4")).rows;
    expect(recommender).toHaveLength(1);
    expect(recommender[0]).toMatchObject({
      key: "model:recommender:v4",
      fields: fieldCount("model:recommender:v4"),
      ttlSeconds: null,
      memoryBytes: await redis.client.memory("USAGE", "model:recommender:v4"),
    });
    expect(recommender[0]?.memoryBytes).toBeGreaterThan(0);
  });

  it("says who changed a model last through the console, and null for untouched ones", async () => {
    const key = Buffer.from("model:fraud_detector:v5");
    const result = await applyChanges(CONN, key, [
      { field: toKeyRef("p0"), expected: sha1("0"), value: toKeyRef("0.75") },
    ]);
    if (!result.ok) throw new Error("the edit was refused");
    await recordChanges(CONN, key, "ana", "set", result.applied);

    const { rows } = await listAll("fraud_detector");
    const changed = rows.find((row) => row.key === "model:fraud_detector:v5");
    expect(changed?.lastChange?.user).toBe("ana");
    expect(Math.abs((changed?.lastChange?.at ?? 0) - Date.now())).toBeLessThan(10_000);
    expect(rows.find((row) => row.key === "model:fraud_detector:v4")?.lastChange).toBeNull();
  });

  it("shares one budget per page between several patterns, and lists what each one finds", async () => {
    process.env.CONSOLE_MODEL_PATTERNS = "model:*,feature:*";
    try {
      const { pages, rows } = await listAll();
      expect(pages.length).toBeGreaterThan(2);
      for (const page of pages) {
        expect(page.patterns).toEqual(["model:*", "feature:*"]);
        expect(page.examined).toBeLessThanOrEqual(BUDGET + 1_000);
      }
      const features = Array.from({ length: 200 }, (_, i) => `feature:churn:${i}`);
      expect(listedKeys(rows)).toEqual(sorted([...MODELS, ...features, "linear_regression"]));
    } finally {
      delete process.env.CONSOLE_MODEL_PATTERNS;
    }
  });

  // BUG in listModels (lib/models/list.ts): SCAN MATCH is built from the typed text as raw bytes, while
  // rows are then kept only if their *displayed* key (quotes and bytes escaped) contains it, so a
  // name holding `"`, `\\` or a non-UTF-8 byte is found by neither spelling.
  it("finds a model whose name holds a double quote by searching for it", async () => {
    const key = 'model:say "hi":v1';
    await redis.client.hset(key, "p0", "1");
    const raw = listedKeys((await listAll('"hi"')).rows);
    const displayed = listedKeys((await listAll('\\"hi\\"')).rows);
    expect([...raw, ...displayed]).toContain('model:say \\"hi\\":v1');
  });

  it("finds a model with a binary name by searching for its displayed text", async () => {
    await redis.client.hset(
      Buffer.from([...Buffer.from("model:"), 0xff, ...Buffer.from("bin:v1")]),
      "p0",
      "1",
    );
    const { rows } = await listAll("\\xffbin");
    expect(listedKeys(rows)).toEqual(["model:\\xffbin:v1"]);
  });

  // BUG in getModelSummary (lib/models/summary.ts): versions are looked for with one scan of at
  // most 50 SCAN calls (~50,000 keys) and no cursor or "partial" flag, so on a bigger database the
  // model page silently shows only the versions that scan happened to reach.
  it("a model's summary lists all its versions on a database larger than one scan", async () => {
    const versions = Array.from({ length: 10 }, (_, i) => i + 1);
    for (const v of versions) await redis.client.hset(`model:many_versions:v${v}`, "a", String(v));

    const summary = await getModelSummary(CONN, Buffer.from("model:many_versions:v1"));
    expect(summary.versions.map((v) => v.version)).toEqual(versions.reverse());
  });
});

describe("reading a model's fields", () => {
  const WIDE = "model:wide:v1";

  beforeAll(async () => {
    await writeHash(
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
    await writeHash(key, Object.entries(values));

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

describe("comparing two models", () => {
  const A = Buffer.from("model:compare:v1");
  const B = Buffer.from("model:compare:v2");

  beforeAll(async () => {
    await redis.client.hset(A, "coefficient", "1.5", "intercept", "2.3", "dropout", "0.1", "label", "cat");
    await redis.client.hset(A, "seed", "7", "only_in_a", "x");
    await redis.client.hset(B, "coefficient", "1.7", "intercept", "2.3", "dropout", "0.1", "label", "dog");
    await redis.client.hset(B, "seed", "12", "only_in_b", "y", "extra_b", "z");
  });

  it("lists the differences with their numeric delta, the fields only on one side and the equal ones", async () => {
    const result = await compareModels(CONN, A, B);

    expect(result.a).toEqual({ ref: toKeyRef(A), key: "model:compare:v1", fields: 6 });
    expect(result.b).toEqual({ ref: toKeyRef(B), key: "model:compare:v2", fields: 7 });
    expect(result.differ.map((d) => [d.name, d.a.display, d.b.display])).toEqual([
      ["coefficient", "1.5", "1.7"],
      ["label", "cat", "dog"],
      ["seed", "7", "12"],
    ]);
    const delta = new Map(result.differ.map((d) => [d.name, d.delta]));
    expect(delta.get("coefficient")).toBeCloseTo(0.2, 10);
    expect(delta.get("seed")).toBe(5);
    expect(delta.get("label")).toBeNull();
    expect(result.onlyA.map((f) => [f.name, f.value.display])).toEqual([["only_in_a", "x"]]);
    expect(result.onlyB.map((f) => [f.name, f.value.display])).toEqual([
      ["extra_b", "z"],
      ["only_in_b", "y"],
    ]);
    expect(result.equalCount).toBe(2);
    expect(result.equal.map((f) => f.name)).toEqual(["dropout", "intercept"]);
    expect(result.truncated).toBe(false);
  });

  it("counts every equal field but lists only the first 500", async () => {
    const fields = Array.from({ length: 600 }, (_, i): [string, string] => [`w${i}`, String(i)]);
    await writeHash("model:compare_wide:v1", fields);
    await writeHash("model:compare_wide:v2", [...fields, ["extra", "1"]]);

    const result = await compareModels(
      CONN,
      Buffer.from("model:compare_wide:v1"),
      Buffer.from("model:compare_wide:v2"),
    );
    expect(result.equalCount).toBe(600);
    expect(result.equal).toHaveLength(500);
    const listed = result.equal.map((f) => f.name);
    expect(new Set(listed).size).toBe(500);
    expect(listed.every((name) => /^w\d+$/.test(name) && Number(name.slice(1)) < 600)).toBe(true);
    expect(listed).toEqual([...listed].sort((x, y) => Number(x.slice(1)) - Number(y.slice(1))));
    expect(result.onlyB.map((f) => f.name)).toEqual(["extra"]);
    expect([result.onlyA, result.differ]).toEqual([[], []]);
  });

  it("refuses to compare with a key that is not a hash, or is missing", async () => {
    await redis.client.set("model:compare:notes", "text");
    await expect(compareModels(CONN, A, Buffer.from("model:compare:notes"))).rejects.toMatchObject(
      notAHash("model:compare:notes"),
    );
    await expect(compareModels(CONN, Buffer.from("model:compare:notes"), B)).rejects.toMatchObject(
      notAHash("model:compare:notes"),
    );
    await expect(compareModels(CONN, A, Buffer.from("model:compare:v9"))).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("bulk edit from an upload", () => {
  let counter = 0;
  async function model(entries: Record<string, Bytes>): Promise<Buffer> {
    counter += 1;
    const key = Buffer.from(`model:bulk_${counter}:v1`);
    await writeHash(key, Object.entries(entries));
    return key;
  }
  const names = (rows: { name: string }[]) => rows.map((row) => row.name);

  it("previews a JSON upload as added, changed, removed and unchanged, and the preview applies", async () => {
    const key = await model({ a: "1", b: "2", c: "3" });

    const preview = await previewBulk(
      CONN,
      key,
      '{"a": "1", "b": 2.5, "d": {"$base64": "/wA="}}',
      "json",
      true,
    );

    expect(preview.unchanged).toBe(1);
    expect(preview.changed).toEqual([
      expect.objectContaining({ name: "b", old: expect.objectContaining({ display: "2" }) }),
    ]);
    expect(preview.changed[0]?.new).toMatchObject({ kind: "float", display: "2.5" });
    expect(preview.added).toEqual([expect.objectContaining({ name: "d", old: null })]);
    expect(preview.added[0]?.new).toMatchObject({ kind: "binary", display: "ff 00" });
    expect(preview.removed).toEqual([expect.objectContaining({ name: "c", new: null })]);
    expect(sorted(preview.changes.map((c) => `${fromKeyRef(c.field)}=${c.expected}`))).toEqual(
      sorted([`b=${sha1("2")}`, "d=null", `c=${sha1("3")}`]),
    );
    expect(await redis.client.hgetall(key)).toEqual({ a: "1", b: "2", c: "3" });

    expect(await applyChanges(CONN, key, preview.changes)).toMatchObject({ ok: true });
    expect(await redis.client.hgetall(key)).toMatchObject({ a: "1", b: "2.5" });
    expect(await redis.client.hgetBuffer(key, "d")).toEqual(Buffer.from([0xff, 0x00]));
    expect(await redis.client.hexists(key, "c")).toBe(0);
  });

  it("previews a CSV upload with quoted cells and base64 values, keeping fields it does not name", async () => {
    const key = await model({ lr: "0.1", note: "old", keep: "x" });
    const csv = [
      "field,value",
      "lr,0.01",
      'note,"multi-line,',
      'with ""quotes"""',
      "weights,base64:3q2+7w==",
      "keep,x",
      "",
    ].join("\r\n");

    const preview = await previewBulk(CONN, key, csv, "csv", false);

    expect(names(preview.changed)).toEqual(["lr", "note"]);
    expect(names(preview.added)).toEqual(["weights"]);
    expect(preview.removed).toEqual([]);
    expect(preview.unchanged).toBe(1);

    expect(await applyChanges(CONN, key, preview.changes)).toMatchObject({ ok: true });
    expect(await redis.client.hget(key, "lr")).toBe("0.01");
    expect(await redis.client.hget(key, "note")).toBe('multi-line,\r\nwith "quotes"');
    expect(await redis.client.hgetBuffer(key, "weights")).toEqual(Buffer.from([0xde, 0xad, 0xbe, 0xef]));
    expect(await redis.client.hget(key, "keep")).toBe("x");
  });

  it("writes nothing when another client changed or added a field between preview and apply", async () => {
    const key = await model({ a: "1", b: "2", c: "3" });
    const preview = await previewBulk(CONN, key, '{"a": "10", "b": "20", "d": "40"}', "json", true);

    await redis.client.hset(key, "b", "99", "d", "from-the-job");
    const result = await applyChanges(CONN, key, preview.changes);

    expect(result).toMatchObject({ ok: false });
    const conflicts = result.ok ? [] : result.conflicts;
    expect(sorted(conflicts.map((c) => `${c.fieldName}:${c.current?.display}`))).toEqual([
      "b:99",
      "d:from-the-job",
    ]);
    expect(await redis.client.hgetall(key)).toEqual({ a: "1", b: "99", c: "3", d: "from-the-job" });
  });

  it("writes nothing when a field the upload removes was changed meanwhile", async () => {
    const key = await model({ a: "1", stale: "2" });
    const preview = await previewBulk(CONN, key, '{"a": "5"}', "json", true);

    await redis.client.hset(key, "stale", "3");
    const result = await applyChanges(CONN, key, preview.changes);

    expect(result).toMatchObject({
      ok: false,
      conflicts: [{ fieldName: "stale", current: { display: "3" } }],
    });
    expect(await redis.client.hgetall(key)).toEqual({ a: "1", stale: "3" });
  });

  it("refuses bad JSON, a bad CSV header, a field given twice and an empty upload, in words", async () => {
    const key = await model({ a: "1" });
    const refusals: [string, TransferFormat, string | RegExp][] = [
      ['{"a": 1,', "json", /^That is not valid JSON \(.+\)\.$/],
      ['["a", "1"]', "json", 'Give a JSON object of field → value, like {"coefficient": "1.7"}.'],
      ['{"a": null}', "json", 'The value of "a" is null; remove the field instead, or give it a value.'],
      ['{"a": "1", "base64:YQ==": "2"}', "json", 'The field "a" appears twice.'],
      ["name,value\na,2\n", "csv", 'The CSV must start with the header "field,value".'],
      ["field,value\na,2\na,3\n", "csv", 'The field "a" appears twice.'],
      ['field,value\na,"2\n', "csv", "A quoted CSV cell is never closed."],
      ["field,value\n", "csv", "The upload holds no parameters."],
      ["{}", "json", "The upload holds no parameters."],
    ];
    for (const [text, format, message] of refusals) {
      const attempt = previewBulk(CONN, key, text, format, false);
      await expect(attempt, text).rejects.toMatchObject({
        code: "INVALID",
        message: typeof message === "string" ? message : expect.stringMatching(message),
      });
    }
    expect(await redis.client.hgetall(key)).toEqual({ a: "1" });
  });

  // BUG: JSON.parse keeps only the last of two equal keys, so the duplicate check in
  // parseEntries never sees it; the upload silently drops the first value instead of INVALID.
  it("refuses a JSON upload that names the same field twice", async () => {
    const key = await model({ a: "1" });
    await expect(previewBulk(CONN, key, '{"a": "2", "a": "3"}', "json", false)).rejects.toMatchObject({
      code: "INVALID",
      message: 'The field "a" appears twice.',
    });
  });

  it("refuses to preview onto a string or a missing key", async () => {
    await redis.client.set("model:bulk_string", "hello");
    await expect(
      previewBulk(CONN, Buffer.from("model:bulk_string"), '{"a": "1"}', "json", false),
    ).rejects.toMatchObject(notAHash("model:bulk_string"));
    await expect(
      previewBulk(CONN, Buffer.from("model:bulk_missing:v1"), '{"a": "1"}', "json", false),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("exporting a model", () => {
  const KEY = Buffer.from("model:export:v1");
  const ENTRIES: [Buffer, Buffer][] = (
    [
      ["coefficient", "1.5"],
      ["description", 'a "quoted", comma-separated\r\nmulti-line text'],
      ["config", '{"layers": [64, 32], "$base64": "AA=="}'],
      ["prefixed", "base64:aGVsbG8="],
      ["base64:field", "plain"],
      ["empty", ""],
      ["emoji 🧠", "🚀"],
      ["checksum", Buffer.from([0xff, 0xfe, 0x00, 0x0a])],
      ["embedding", float32Blob([0.25, -1.5, 3, 0, 1, 2, 3, 4])],
      [Buffer.concat([Buffer.from([0xff, 0x00, 0x0a]), Buffer.from("🧠")]), Buffer.from([0xc3, 0x28])],
    ] as [Bytes, Bytes][]
  ).map(([field, value]) => [bytes(field), bytes(value)]);

  beforeAll(async () => {
    await writeHash(KEY, ENTRIES);
  });

  it("exports JSON that reads back to the exact bytes of every field and value", async () => {
    const text = await exportText(KEY, "json");

    const data = JSON.parse(text) as Record<string, unknown>;
    expect(data.config).toBe('{"layers": [64, 32], "$base64": "AA=="}');
    expect(data.checksum).toEqual({ $base64: Buffer.from([0xff, 0xfe, 0x00, 0x0a]).toString("base64") });
    expect(data.prefixed).toBe("base64:aGVsbG8=");
    expect(asPairs(parseEntries(text, "json").entries)).toEqual(
      asPairs(ENTRIES.map(([field, value]) => ({ field, value }))),
    );
  });

  it("exports CSV that reads back to the exact bytes of every field and value", async () => {
    const text = await exportText(KEY, "csv");

    expect(text.startsWith("field,value\r\n")).toBe(true);
    expect(asPairs(parseEntries(text, "csv").entries)).toEqual(
      asPairs(ENTRIES.map(([field, value]) => ({ field, value }))),
    );
  });

  it("exports all of a 20,000-field model, in both formats", async () => {
    const key = Buffer.from("model:export_big:v1");
    const entries = Array.from({ length: 20_000 }, (_, i): [Buffer, Buffer] => [
      Buffer.from(`w${i}`),
      Buffer.from(String(i / 7)),
    ]);
    await writeHash(key, entries);
    const expected = asPairs(entries.map(([field, value]) => ({ field, value })));

    for (const format of ["json", "csv"] as const) {
      const parsed = parseEntries(await exportText(key, format), format).entries;
      expect(parsed).toHaveLength(20_000);
      expect(asPairs(parsed)).toEqual(expected);
    }
  });

  it("refuses to export a string or a missing key", async () => {
    await redis.client.set("model:export_string", "hello");
    await expect(exportModel(CONN, Buffer.from("model:export_string"), "json")).rejects.toMatchObject(
      notAHash("model:export_string"),
    );
    await expect(exportModel(CONN, Buffer.from("model:export_missing:v1"), "csv")).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("a model's summary", () => {
  beforeAll(async () => {
    for (const v of [1, 2, 3, 10]) await redis.client.hset(`model:x:v${v}`, "coefficient", String(v));
    // Not versions of x: another name, a name with :v inside, no version number, not a hash.
    await redis.client.hset("model:x_other:v1", "coefficient", "0");
    await redis.client.hset("model:x:v1:v9", "coefficient", "0");
    await redis.client.hset("model:x:vlatest", "coefficient", "0");
    await redis.client.set("model:x:v7", "a string");
  });

  it("lists the versions of exactly that name, newest first", async () => {
    const summary = await getModelSummary(CONN, Buffer.from("model:x:v2"));

    expect(summary).toMatchObject({
      ref: toKeyRef("model:x:v2"),
      key: "model:x:v2",
      name: "x",
      version: 2,
      fields: 1,
      ttlSeconds: null,
    });
    expect(summary.memoryBytes).toBeGreaterThan(0);
    expect(summary.versions).toEqual(
      [10, 3, 2, 1].map((v) => ({ ref: toKeyRef(`model:x:v${v}`), key: `model:x:v${v}`, version: v })),
    );
  });

  it("finds versions of a name full of glob characters literally", async () => {
    await redis.client.hset("model:g*?[x]:v1", "a", "1");
    await redis.client.hset("model:g*?[x]:v2", "a", "1");
    await redis.client.hset("model:gABx:v3", "a", "1");

    const summary = await getModelSummary(CONN, Buffer.from("model:g*?[x]:v1"));
    expect(summary.versions.map((v) => v.key)).toEqual(["model:g*?[x]:v2", "model:g*?[x]:v1"]);
  });

  // BUG in getModelSummary (lib/models/summary.ts): the sibling SCAN pattern is built from the
  // *displayed* name (`\\xff`, `\\"` escaped), which matches no key, so `versions` comes back empty,
  // without even the model itself. nextVersionKey (lib/models/write.ts) reads the name as latin1.
  it("lists the versions of a model whose name is binary or holds a quote", async () => {
    const binary = (v: number) => Buffer.from([...Buffer.from("model:"), 0xff, ...Buffer.from(`bin:v${v}`)]);
    for (const v of [1, 2]) {
      await redis.client.hset(binary(v), "a", "1");
      await redis.client.hset(`model:say "hi":v${v}`, "a", "1");
    }

    const quoted = await getModelSummary(CONN, Buffer.from('model:say "hi":v1'));
    expect(quoted.versions.map((v) => v.version)).toEqual([2, 1]);
    const summary = await getModelSummary(CONN, binary(1));
    expect(summary.versions.map((v) => v.ref)).toEqual([toKeyRef(binary(2)), toKeyRef(binary(1))]);
  });

  it("has no versions for a hash outside model:<name>:v<N>, and refuses strings and missing keys", async () => {
    await redis.client.hset("summary_plain", "coefficient", "1.5");
    await redis.client.expire("summary_plain", 600);
    expect(await getModelSummary(CONN, Buffer.from("summary_plain"))).toMatchObject({
      name: "summary_plain",
      version: null,
      versions: [],
      fields: 1,
      ttlSeconds: 600,
    });
    await expect(getModelSummary(CONN, Buffer.from("model:x:v7"))).rejects.toMatchObject(
      notAHash("model:x:v7"),
    );
    await expect(getModelSummary(CONN, Buffer.from("model:x:v99"))).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});
