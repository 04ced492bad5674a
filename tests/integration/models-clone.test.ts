import { describe, expect, it } from "vitest";
import { cloneModel, nextVersionKey } from "@/lib/models/clone";
import { withConsoleRedis } from "@/tests/helpers/redis";

// lib/models/clone.ts: a model copied to a new key or its next version, never over an existing one.
// `redis.client` plays the Python script doing HSET behind the console's back, and checks what Redis holds.
const CONN = "main";
const redis = withConsoleRedis(CONN);

let counter = 0;
function modelKey(name = "m"): Buffer {
  counter += 1;
  return Buffer.from(`model:${name}_${process.pid}_${counter}:v1`);
}

describe("cloning", () => {
  it("copies every field into a new key and refuses an existing target", async () => {
    const source = modelKey("churn");
    const target = modelKey("churn");
    await redis.client.hset(source, "coefficient", "1.5", "intercept", "2.3", "weights", "[0.1,0.2]");

    expect(await cloneModel(CONN, source, target)).toEqual({ fields: 3 });
    expect(await redis.client.hgetall(target)).toEqual(await redis.client.hgetall(source));

    await redis.client.hset(target, "coefficient", "7");
    await expect(cloneModel(CONN, source, target)).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("already exists; pick another name"),
    });
    expect(await redis.client.hget(target, "coefficient")).toBe("7");
  });

  it("picks the version after the highest one: v4 after v1..v3", async () => {
    const name = `churn_classifier_${process.pid}`;
    for (const v of [1, 2, 3]) await redis.client.hset(`model:${name}:v${v}`, "coefficient", String(v));
    await redis.client.hset(`model:${name}_old:v9`, "coefficient", "9");

    expect(String(await nextVersionKey(CONN, Buffer.from(`model:${name}:v1`)))).toBe(`model:${name}:v4`);
    expect(await nextVersionKey(CONN, Buffer.from("linear_regression"))).toBeNull();
  });
});
