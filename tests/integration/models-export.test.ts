import { beforeAll, describe, expect, it } from "vitest";
import { exportModel } from "@/lib/models/export";
import { parseEntries, type TransferFormat } from "@/lib/models/transfer";
import { bytes, notAHash, writeHash, type Bytes } from "@/tests/helpers/models";
import { withConsoleRedis } from "@/tests/helpers/redis";

// lib/models/export.ts: a model's parameters streamed out as JSON or CSV, page by page.
// `redis.client` plays the training job that writes models with HSET, and checks what Redis holds.
const CONN = "main";
const redis = withConsoleRedis(CONN);

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
    await writeHash(redis.client, KEY, ENTRIES);
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
    await writeHash(redis.client, key, entries);
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
