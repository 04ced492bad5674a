import { describe, expect, it } from "vitest";
import { readKey } from "@/lib/keys/read";
import { deleteKey, setTtl } from "@/lib/keys/write";
import { withConsoleRedis } from "@/tests/helpers/redis";

// lib/keys/write.ts: an operator deletes a key or changes its TTL; the console's own keys are refused.
// `redis.client` plays the applications that write the keys, and checks what Redis holds.
const CONN = "main";
const redis = withConsoleRedis(CONN);

describe("changing a key", () => {
  it("sets a TTL, shows it, and removes it again, answering the TTL it replaced", async () => {
    await redis.client.set("ttl:key", "v");

    expect(await setTtl(CONN, Buffer.from("ttl:key"), 600)).toEqual({
      previousTtlSeconds: null,
      ttlSeconds: 600,
    });
    expect(await redis.client.ttl("ttl:key")).toBe(600);
    expect((await readKey(CONN, Buffer.from("ttl:key"))).ttlSeconds).toBe(600);

    expect(await setTtl(CONN, Buffer.from("ttl:key"), null)).toEqual({
      previousTtlSeconds: 600,
      ttlSeconds: null,
    });
    expect(await redis.client.ttl("ttl:key")).toBe(-1);
    expect(await setTtl(CONN, Buffer.from("ttl:key"), null)).toEqual({
      previousTtlSeconds: null,
      ttlSeconds: null,
    });
  });

  it("answers NOT_FOUND when setting or removing the TTL of a missing key, and creates nothing", async () => {
    for (const seconds of [60, null]) {
      await expect(setTtl(CONN, Buffer.from("ttl:missing"), seconds)).rejects.toMatchObject({
        code: "NOT_FOUND",
        message: "There is no key named ttl:missing.",
      });
    }
    expect(await redis.client.exists("ttl:missing")).toBe(0);
  });

  it("refuses to delete or change the console's own keys, and leaves them as they were", async () => {
    await redis.client.set("__console:keys-test:kept", "x");
    const key = Buffer.from("__console:keys-test:kept");
    const forbidden = {
      code: "FORBIDDEN",
      message:
        "__console:keys-test:kept belongs to the console itself: the console's own data cannot be changed here.",
    };

    await expect(deleteKey(CONN, key)).rejects.toMatchObject(forbidden);
    await expect(setTtl(CONN, key, 60)).rejects.toMatchObject(forbidden);
    expect(await redis.client.get(key)).toBe("x");
    expect(await redis.client.ttl(key)).toBe(-1);
  });
});
