import { describe, expect, it } from "vitest";
import { cloneModel, nextVersionKey } from "@/lib/models/clone";
import { digestOf } from "@/lib/models/digest";
import { lastChanges, listHistory, recordChanges } from "@/lib/models/history";
import type { HistoryEntry } from "@/lib/models/types";
import { applyChanges, renameField, type FieldWrite } from "@/lib/models/write";
import { toKeyRef } from "@/lib/redis/keys";
import { bytes, type Bytes } from "@/tests/helpers/models";
import { withConsoleRedis } from "@/tests/helpers/redis";

// lib/models/write.ts: compare-and-set edits and renames, all or nothing, bytes exact.
// `redis.client` plays the Python script doing HSET behind the console's back, and checks what Redis holds.
const CONN = "main";
const redis = withConsoleRedis(CONN);

let counter = 0;
function modelKey(name = "m"): Buffer {
  counter += 1;
  return Buffer.from(`model:${name}_${process.pid}_${counter}:v1`);
}

/** An edit as the action hands it over: based on the value the user saw (null: the field was not there). */
function edit(field: Bytes, seen: Bytes | null, next: Bytes | null): FieldWrite {
  return {
    field: bytes(field),
    expected: seen === null ? null : digestOf(bytes(seen)),
    value: next === null ? null : bytes(next),
  };
}

/** Applies through the console and records history, the way the server action does. */
async function consoleEdit(key: Buffer, user: string, changes: FieldWrite[]) {
  const result = await applyChanges(CONN, key, changes);
  if (result.ok) await recordChanges(CONN, key, user, changes.length > 1 ? "bulk" : "set", result.applied);
  return result;
}

async function allHistory(key: Buffer): Promise<HistoryEntry[]> {
  return (await listHistory(CONN, key, { count: 500 })).entries;
}

describe("editing a field", () => {
  it("a stale edit is refused with CONFLICT and both values are intact", async () => {
    const key = modelKey("linear");
    await redis.client.hset(key, "coefficient", "1.5");
    // The user opened the page and saw 1.5; meanwhile a script wrote 1.7.
    await redis.client.hset(key, "coefficient", "1.7");

    const result = await applyChanges(CONN, key, [edit("coefficient", "1.5", "2.0")]);

    expect(result).toMatchObject({
      ok: false,
      conflicts: [
        {
          fieldName: "coefficient",
          expected: digestOf(Buffer.from("1.5")),
          current: { kind: "float", display: "1.7" },
          currentDigest: digestOf(Buffer.from("1.7")),
        },
      ],
    });
    expect(await redis.client.hget(key, "coefficient")).toBe("1.7");
  });

  it("a fresh edit applies and history records old → new with the user", async () => {
    const key = modelKey("linear");
    const untouched = modelKey("other");
    await redis.client.hset(key, "coefficient", "1.5", "intercept", "2.3");

    const result = await consoleEdit(key, "ana", [edit("coefficient", "1.5", "2.0")]);

    expect(result).toMatchObject({ ok: true });
    expect(await redis.client.hgetall(key)).toEqual({ coefficient: "2.0", intercept: "2.3" });
    const [entry] = await allHistory(key);
    expect(entry).toMatchObject({
      user: "ana",
      op: "set",
      fieldName: "coefficient",
      old: toKeyRef("1.5"),
      new: toKeyRef("2.0"),
      oldView: { display: "1.5" },
      newView: { display: "2.0" },
    });
    expect(Math.abs(entry!.at - Date.now())).toBeLessThan(10_000);
    const [last, none] = await lastChanges(CONN, [key, untouched]);
    expect(last).toEqual({ at: entry!.at, user: "ana" });
    expect(none).toBeNull();
  });

  it("adds a field only while it is absent, and refuses when it appeared meanwhile", async () => {
    const key = modelKey();
    await redis.client.hset(key, "coefficient", "1.5");

    expect(await applyChanges(CONN, key, [edit("bias", null, "0.1")])).toMatchObject({ ok: true });
    expect(await redis.client.hget(key, "bias")).toBe("0.1");

    await redis.client.hset(key, "momentum", "0.9");
    const refused = await applyChanges(CONN, key, [edit("momentum", null, "0.5")]);
    expect(refused).toMatchObject({
      ok: false,
      conflicts: [{ fieldName: "momentum", expected: null, current: { display: "0.9" } }],
    });
    expect(await redis.client.hget(key, "momentum")).toBe("0.9");
  });

  it("refuses to edit a model deleted meanwhile instead of recreating it, when asked to", async () => {
    const key = modelKey();
    const write = applyChanges(CONN, key, [edit("bias", null, "0.1")], { requireHash: true });
    await expect(write).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await redis.client.exists(key)).toBe(0);
  });
});

describe("bulk edit", () => {
  it("is all-or-nothing: one stale field and nothing is written", async () => {
    const key = modelKey("weights");
    const original: Record<string, string> = {};
    for (let i = 0; i < 500; i++) original[`w${i}`] = String(i);
    await redis.client.hset(key, original);
    await redis.client.hset(key, "w250", "changed-by-script");

    const changes = Object.entries(original).map(([field, value]) => edit(field, value, `new-${value}`));
    const result = await applyChanges(CONN, key, changes);

    expect(result).toMatchObject({ ok: false, conflicts: [{ fieldName: "w250" }] });
    expect(result.ok ? [] : result.conflicts).toHaveLength(1);
    expect(await redis.client.hgetall(key)).toEqual({ ...original, w250: "changed-by-script" });
  });

  it("applies every change in one go when none is stale, deletes included", async () => {
    const key = modelKey("weights");
    await redis.client.hset(key, "a", "1", "b", "2", "c", "3");

    const result = await applyChanges(CONN, key, [
      edit("a", "1", "10"),
      edit("b", "2", null),
      edit("d", null, "4"),
    ]);

    expect(result.ok && result.applied.map((c) => [String(c.field), String(c.old), String(c.new)])).toEqual([
      ["a", "1", "10"],
      ["b", "2", "null"],
      ["d", "null", "4"],
    ]);
    expect(await redis.client.hgetall(key)).toEqual({ a: "10", c: "3", d: "4" });
  });

  it("says how many changes one apply takes, before touching Redis", async () => {
    const key = modelKey();
    const changes = Array.from({ length: 10_001 }, (_, i) => edit(`f${i}`, null, "1"));
    await expect(applyChanges(CONN, key, changes)).rejects.toMatchObject({
      code: "INVALID",
      message: expect.stringContaining("at most 10,000 changes"),
    });
    expect(await redis.client.exists(key)).toBe(0);
  });
});

describe("renaming a field", () => {
  it("moves the value atomically and refuses to overwrite an existing field", async () => {
    const key = modelKey();
    await redis.client.hset(key, "coefficient", "1.5", "intercept", "2.3");

    const renamed = await renameField(
      CONN,
      key,
      bytes("coefficient"),
      bytes("slope"),
      digestOf(bytes("1.5")),
    );
    expect(renamed).toMatchObject({ ok: true, value: Buffer.from("1.5") });
    expect(await redis.client.hgetall(key)).toEqual({ slope: "1.5", intercept: "2.3" });

    const clash = renameField(CONN, key, bytes("slope"), bytes("intercept"), digestOf(bytes("1.5")));
    await expect(clash).rejects.toMatchObject({
      code: "CONFLICT",
      message: 'A field named "intercept" already exists; pick another name.',
    });
    expect(await redis.client.hgetall(key)).toEqual({ slope: "1.5", intercept: "2.3" });
  });

  it("refuses a rename based on a stale value and shows what the field holds now", async () => {
    const key = modelKey();
    await redis.client.hset(key, "slope", "9");
    const stale = await renameField(CONN, key, bytes("slope"), bytes("gradient"), digestOf(bytes("1.5")));
    expect(stale).toMatchObject({
      ok: false,
      conflicts: [{ fieldName: "slope", current: { display: "9" } }],
    });
    expect(await redis.client.hgetall(key)).toEqual({ slope: "9" });
  });

  it("never lets a reader see the old name gone without the new one there", async () => {
    const key = modelKey();
    await redis.client.hset(key, "x", "value");
    const observed: number[] = [];
    let renaming = true;
    const observer = (async () => {
      while (renaming) {
        const [x, y] = await redis.client.hmget(key, "x", "y");
        observed.push(Number(x !== null) + Number(y !== null));
      }
    })();
    let [from, to] = ["x", "y"];
    for (let i = 0; i < 100; i++) {
      expect(await renameField(CONN, key, bytes(from), bytes(to), digestOf(bytes("value")))).toMatchObject({
        ok: true,
      });
      [from, to] = [to, from];
    }
    renaming = false;
    await observer;
    expect(observed.length).toBeGreaterThan(10);
    expect(new Set(observed)).toEqual(new Set([1]));
  });
});

describe("binary safety", () => {
  const awkward = Buffer.concat([Buffer.from([0xff, 0x00]), Buffer.from("\n🧠 *?[x]")]);

  it("round-trips binary keys, field names and values exactly, history included", async () => {
    const key = Buffer.concat([Buffer.from("model:"), awkward, Buffer.from(`_${process.pid}:v1`)]);
    const field = Buffer.concat([awkward, Buffer.from("field")]);
    const first = Buffer.concat([Buffer.from([0x00, 0xff, 0x0a]), Buffer.from("🚀")]);
    const second = Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00]);

    expect(await consoleEdit(key, "ana", [edit(field, null, first)])).toMatchObject({ ok: true });
    expect(await redis.client.hgetBuffer(key, field)).toEqual(first);
    expect(await consoleEdit(key, "ana", [edit(field, first, second)])).toMatchObject({ ok: true });
    expect(await redis.client.hgetBuffer(key, field)).toEqual(second);

    const [latest] = await allHistory(key);
    expect(latest).toMatchObject({ field: toKeyRef(field), old: toKeyRef(first), new: toKeyRef(second) });
    expect(latest?.fieldName).toBe("\\xff\\x00\\n🧠 *?[x]field");

    const renamedTo = Buffer.concat([field, Buffer.from([0xfe])]);
    expect(await renameField(CONN, key, field, renamedTo, digestOf(second))).toMatchObject({ ok: true });
    expect(await redis.client.hgetBuffer(key, renamedTo)).toEqual(second);
    expect(await redis.client.hexists(key, field)).toBe(0);

    const target = Buffer.concat([key, Buffer.from([0x00])]);
    expect(await cloneModel(CONN, key, target)).toEqual({ fields: 1 });
    expect(await redis.client.hgetBuffer(target, renamedTo)).toEqual(second);
  });

  it("finds versions of a name full of glob characters literally", async () => {
    const name = Buffer.concat([Buffer.from(`g${process.pid}*?[x]`), Buffer.from([0xff])]);
    const version = (n: number) => Buffer.concat([Buffer.from("model:"), name, Buffer.from(`:v${n}`)]);
    await redis.client.hset(version(1), "a", "1");
    await redis.client.hset(version(2), "a", "1");
    // Matched by the name read as a glob (`*` and `?`), but not the same name: must not count.
    const lookalike = Buffer.concat([
      Buffer.from(`model:g${process.pid}ZZQx`),
      Buffer.from([0xff]),
      Buffer.from(":v9"),
    ]);
    await redis.client.hset(lookalike, "a", "1");

    expect(await nextVersionKey(CONN, version(1))).toEqual(version(3));
  });
});

describe("wrong type", () => {
  it("editing a string key says it is not a hash and changes nothing", async () => {
    const key = modelKey("plain");
    await redis.client.set(key, "hello");
    const notAHash = {
      code: "INVALID",
      message: expect.stringMatching(/is a string, not a hash; nothing was changed/),
    };

    await expect(applyChanges(CONN, key, [edit("f", null, "1")])).rejects.toMatchObject(notAHash);
    await expect(renameField(CONN, key, bytes("f"), bytes("g"), digestOf(bytes("1")))).rejects.toMatchObject(
      notAHash,
    );
    await expect(cloneModel(CONN, key, modelKey("copy"))).rejects.toMatchObject(notAHash);
    expect(await redis.client.get(key)).toBe("hello");
    expect(await redis.client.type(key)).toBe("string");
  });
});
