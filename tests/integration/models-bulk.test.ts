import { describe, expect, it } from "vitest";
import { previewBulk } from "@/lib/models/bulk";
import type { TransferFormat } from "@/lib/models/transfer";
import { applyChanges } from "@/lib/models/write";
import { fromKeyRef } from "@/lib/redis/keys";
import { decoded, notAHash, sha1, sorted, writeHash, type Bytes } from "@/tests/helpers/models";
import { withConsoleRedis } from "@/tests/helpers/redis";

// lib/models/bulk.ts: what an uploaded JSON or CSV would change, and applying it as one compare-and-set.
// `redis.client` plays the training job that writes models with HSET, and checks what Redis holds.
const CONN = "main";
const redis = withConsoleRedis(CONN);

describe("bulk edit from an upload", () => {
  let counter = 0;
  async function model(entries: Record<string, Bytes>): Promise<Buffer> {
    counter += 1;
    const key = Buffer.from(`model:bulk_${counter}:v1`);
    await writeHash(redis.client, key, Object.entries(entries));
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

    expect(await applyChanges(CONN, key, decoded(preview.changes))).toMatchObject({ ok: true });
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

    expect(await applyChanges(CONN, key, decoded(preview.changes))).toMatchObject({ ok: true });
    expect(await redis.client.hget(key, "lr")).toBe("0.01");
    expect(await redis.client.hget(key, "note")).toBe('multi-line,\r\nwith "quotes"');
    expect(await redis.client.hgetBuffer(key, "weights")).toEqual(Buffer.from([0xde, 0xad, 0xbe, 0xef]));
    expect(await redis.client.hget(key, "keep")).toBe("x");
  });

  it("writes nothing when another client changed or added a field between preview and apply", async () => {
    const key = await model({ a: "1", b: "2", c: "3" });
    const preview = await previewBulk(CONN, key, '{"a": "10", "b": "20", "d": "40"}', "json", true);

    await redis.client.hset(key, "b", "99", "d", "from-the-job");
    const result = await applyChanges(CONN, key, decoded(preview.changes));

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
    const result = await applyChanges(CONN, key, decoded(preview.changes));

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
