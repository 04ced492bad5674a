import { describe, expect, it } from "vitest";
import { getClient } from "@/lib/redis/registry";
import { withConsoleRedis } from "@/tests/helpers/redis";

// lib/redis/registry.ts: the connection's client keeps keys as bytes.
const redis = withConsoleRedis("main");

describe("binary-safe keys through the registry's client", () => {
  it("writes, finds and deletes a key with \\xff, newline, glob characters and emoji, bytes unchanged", async () => {
    const client = getClient("main");
    const key = Buffer.concat([Buffer.from("bin:"), Buffer.from([0xff, 0x00]), Buffer.from("\n*?[x] 😀")]);
    await client.set(key, Buffer.from([0x01, 0xfe]));

    const [, found] = await client.scanBuffer("0", "MATCH", "bin:*", "COUNT", 1000);
    expect(found.some((k) => k.equals(key))).toBe(true);
    expect((await redis.client.getBuffer(key))?.equals(Buffer.from([0x01, 0xfe]))).toBe(true);
    expect(await client.unlink(key)).toBe(1);
    expect(await redis.client.exists(key)).toBe(0);
  });
});
