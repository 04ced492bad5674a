import { beforeAll, describe, expect, it } from "vitest";
import { compareModels } from "@/lib/models/compare";
import { toKeyRef } from "@/lib/redis/keys";
import { notAHash, writeHash } from "@/tests/helpers/models";
import { withConsoleRedis } from "@/tests/helpers/redis";

// lib/models/compare.ts: two hashes side by side.
// `redis.client` plays the training job that writes models with HSET, and checks what Redis holds.
const CONN = "main";
const redis = withConsoleRedis(CONN);

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
    await writeHash(redis.client, "model:compare_wide:v1", fields);
    await writeHash(redis.client, "model:compare_wide:v2", [...fields, ["extra", "1"]]);

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
