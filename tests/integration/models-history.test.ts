import { describe, expect, it } from "vitest";
import { digestOf } from "@/lib/models/digest";
import { expectedValues, historyKey, listHistory, recordChanges } from "@/lib/models/history";
import { restoreTo, revertEntry } from "@/lib/models/restore";
import type { HistoryEntry } from "@/lib/models/types";
import { applyChanges, renameField, type FieldWrite } from "@/lib/models/write";
import { toKeyRef } from "@/lib/redis/keys";
import { bytes, type Bytes } from "@/tests/helpers/models";
import { withConsoleRedis } from "@/tests/helpers/redis";

// lib/models/history.ts and restore.ts: who changed what, and going back to a point or undoing one change.
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

describe("history", () => {
  it("pages newest first", async () => {
    const key = modelKey();
    await redis.client.hset(key, "lr", "0");
    for (let i = 0; i < 7; i++) await consoleEdit(key, "ana", [edit("lr", String(i), String(i + 1))]);

    const seen: HistoryEntry[] = [];
    let cursor: string | null | undefined;
    do {
      const page = await listHistory(CONN, key, { count: 3, before: cursor ?? undefined });
      seen.push(...page.entries);
      cursor = page.nextCursor;
    } while (cursor);

    expect(seen.map((e) => e.newView?.display)).toEqual(["7", "6", "5", "4", "3", "2", "1"]);
    await expect(listHistory(CONN, key, { before: "nope" })).rejects.toMatchObject({ code: "INVALID" });
  });

  it("restores an earlier point as one new, recorded change", async () => {
    const key = modelKey();
    await redis.client.hset(key, "a", "1", "b", "1");
    await consoleEdit(key, "ana", [edit("a", "1", "2")]);
    const [point] = await allHistory(key);
    await consoleEdit(key, "ana", [edit("b", "1", "2")]);
    await consoleEdit(key, "ana", [edit("a", "2", "3"), edit("c", null, "x")]);

    const result = await restoreTo(CONN, key, point!.id, "ben");

    expect(result).toMatchObject({ ok: true });
    expect(await redis.client.hgetall(key)).toEqual({ a: "2", b: "1" });
    const restored = (await allHistory(key)).filter((e) => e.op === "restore");
    expect(restored).toHaveLength(3);
    expect(new Set(restored.map((e) => e.batch)).size).toBe(1);
    expect(restored.every((e) => e.user === "ben")).toBe(true);
  });

  it("refuses a restore after an outside change with CONFLICT and writes nothing", async () => {
    const key = modelKey();
    await redis.client.hset(key, "a", "1", "b", "1");
    await consoleEdit(key, "ana", [edit("a", "1", "2")]);
    const [point] = await allHistory(key);
    await consoleEdit(key, "ana", [edit("a", "2", "5"), edit("b", "1", "6")]);
    await redis.client.hset(key, "a", "99");
    const before = await redis.client.xlen(historyKey(CONN, key));

    const result = await restoreTo(CONN, key, point!.id, "ben");

    expect(result).toMatchObject({ ok: false, conflicts: [{ fieldName: "a", current: { display: "99" } }] });
    expect(await redis.client.hgetall(key)).toEqual({ a: "99", b: "6" });
    expect(await redis.client.xlen(historyKey(CONN, key))).toBe(before);
    const drift = await expectedValues(CONN, key);
    expect(drift.find((e) => e.fieldName === "a")?.digest).toBe(digestOf(Buffer.from("5")));
  });

  it("reverts one change, and a rename as a whole", async () => {
    const key = modelKey();
    await redis.client.hset(key, "a", "1", "b", "1");
    await consoleEdit(key, "ana", [edit("a", "1", "2")]);
    const [change] = await allHistory(key);
    await consoleEdit(key, "ana", [edit("b", "1", "3")]);

    expect(await revertEntry(CONN, key, change!.id, "ben")).toMatchObject({ ok: true });
    expect(await redis.client.hgetall(key)).toEqual({ a: "1", b: "3" });
    expect((await allHistory(key))[0]).toMatchObject({ op: "revert", user: "ben", fieldName: "a" });

    const renamed = await renameField(CONN, key, bytes("b"), bytes("beta"), digestOf(bytes("3")));
    if (!renamed.ok) throw new Error("rename refused");
    await recordChanges(CONN, key, "ana", "rename", renamed.applied);
    const [renameHalf] = await allHistory(key);
    expect(await revertEntry(CONN, key, renameHalf!.id, "ben")).toMatchObject({ ok: true });
    expect(await redis.client.hgetall(key)).toEqual({ a: "1", b: "3" });
  });

  it("refuses to revert a change that was overwritten since", async () => {
    const key = modelKey();
    await redis.client.hset(key, "a", "1");
    await consoleEdit(key, "ana", [edit("a", "1", "2")]);
    const [change] = await allHistory(key);
    await redis.client.hset(key, "a", "42");

    const result = await revertEntry(CONN, key, change!.id, "ben");
    expect(result).toMatchObject({ ok: false, conflicts: [{ fieldName: "a", current: { display: "42" } }] });
    expect(await redis.client.hget(key, "a")).toBe("42");
  });

  it("keeps only a digest of huge values and says they cannot be restored", async () => {
    const key = modelKey();
    const huge = "x".repeat(20_000);
    await redis.client.hset(key, "blob", huge);
    await consoleEdit(key, "ana", [edit("blob", huge, "small")]);
    const [entry] = await allHistory(key);
    expect(entry).toMatchObject({ old: undefined, oldView: null, new: toKeyRef("small") });

    await expect(revertEntry(CONN, key, entry!.id, "ben")).rejects.toMatchObject({
      code: "INVALID",
      message: expect.stringContaining("over 16 KiB"),
    });
    expect(await redis.client.hget(key, "blob")).toBe("small");
  });
});
