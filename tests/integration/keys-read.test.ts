import { describe, expect, it } from "vitest";
import { readKey, STRING_CHUNK, type KeyPage } from "@/lib/keys/read";
import { fromKeyRef } from "@/lib/redis/keys";
import { withConsoleRedis } from "@/tests/helpers/redis";

// lib/keys/read.ts and value-pages.ts: one key, read-only, a bounded page of its value at a time.
// `redis.client` plays the applications that write the keys, and checks what Redis holds.
const CONN = "main";
const redis = withConsoleRedis(CONN);

describe("reading a key, one page at a time", () => {
  const BIG = 10_000;

  /** Follows `nextOffset` or `cursor` until the value is read through, as "load more" does. */
  async function readAll(key: string | Buffer, count = 100): Promise<KeyPage[]> {
    const pages: KeyPage[] = [];
    let next: { cursor?: string; offset?: number } = {};
    for (;;) {
      const page = await readKey(CONN, Buffer.from(key), { ...next, count });
      pages.push(page);
      if (pages.length > 1_000) throw new Error("the value was never read through");
      if ("nextOffset" in page && page.nextOffset !== null) next = { offset: page.nextOffset };
      else if ("cursor" in page && page.cursor !== null) next = { cursor: page.cursor };
      else return pages;
    }
  }

  function itemsOf<T extends KeyPage["type"]>(pages: KeyPage[], type: T) {
    return pages.map((page) => {
      if (page.type !== type) throw new Error(`expected a ${type}, read a ${page.type}`);
      return page as Extract<KeyPage, { type: T }>;
    });
  }

  it("reads a 1 MB binary string in 64 KB pages that reassemble to the exact bytes", async () => {
    const value = Buffer.alloc(1 << 20);
    for (let i = 0; i < value.length; i++) value[i] = (i * 7919 + (i >> 8)) & 0xff;
    await redis.client.set("read:blob", value);

    const pages = itemsOf(await readAll("read:blob"), "string");

    expect(pages).toHaveLength(16);
    for (const page of pages) {
      expect(page.size).toBe(value.length);
      expect(Buffer.from(page.base64, "base64").length).toBeLessThanOrEqual(STRING_CHUNK);
      expect(page.value).toMatchObject({ size: value.length, truncated: true });
    }
    expect(Buffer.concat(pages.map((page) => Buffer.from(page.base64, "base64"))).equals(value)).toBe(true);
  });

  it("cuts pages of a long text between characters, so each page reads as text and together they are the text", async () => {
    const text = "naïve café 😀 résumé — ".repeat(40_000);
    await redis.client.set("read:text", text);

    const pages = itemsOf(await readAll("read:text"), "string");

    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) expect(page.value.kind).toBe("text");
    expect(pages.map((page) => page.value.display).join("")).toBe(text);
  });

  it("shows a small value for what it is: JSON, a number, a float32 vector", async () => {
    const vector = Buffer.alloc(64);
    for (let i = 0; i < 16; i++) vector.writeFloatLE(i / 4, i * 4);
    await redis.client.mset("read:json", '{"layers": [64, 32]}', "read:int", "42", "read:vector", vector);

    expect(await readKey(CONN, Buffer.from("read:json"))).toMatchObject({
      type: "string",
      value: { kind: "json", json: { layers: [64, 32] }, truncated: false },
      nextOffset: null,
    });
    expect((await readKey(CONN, Buffer.from("read:int"))).type === "string").toBe(true);
    expect(await readKey(CONN, Buffer.from("read:int"))).toMatchObject({
      value: { kind: "integer", number: 42 },
    });
    expect(await readKey(CONN, Buffer.from("read:vector"))).toMatchObject({
      value: { kind: "vector", vector: { length: 16, min: 0, max: 3.75 } },
    });
  });

  it("pages through a 10,000-item list 100 at a time, in order, each item once", async () => {
    for (let i = 0; i < BIG; i += 1_000) {
      await redis.client.rpush("read:list", ...Array.from({ length: 1_000 }, (_, j) => `item-${i + j}`));
    }

    const pages = itemsOf(await readAll("read:list"), "list");

    expect(pages).toHaveLength(100);
    expect(new Set(pages.map((page) => page.length))).toEqual(new Set([BIG]));
    const items = pages.flatMap((page) => page.items);
    expect(items.map((item) => item.index)).toEqual(Array.from({ length: BIG }, (_, i) => i));
    expect(items.map((item) => item.value.display)).toEqual(
      Array.from({ length: BIG }, (_, i) => `item-${i}`),
    );
  });

  it("pages through a 10,000-member set with SSCAN, each member once", async () => {
    for (let i = 0; i < BIG; i += 1_000) {
      await redis.client.sadd("read:set", ...Array.from({ length: 1_000 }, (_, j) => `member-${i + j}`));
    }

    const pages = itemsOf(await readAll("read:set"), "set");

    expect(pages.length).toBeGreaterThan(50);
    const members = pages.flatMap((page) => page.members);
    expect(members).toHaveLength(BIG);
    expect(new Set(members.map((member) => fromKeyRef(member.ref)!.toString())).size).toBe(BIG);
    expect(pages[0]?.size).toBe(BIG);
  });

  it("pages through a 10,000-member sorted set by rank, with exact scores", async () => {
    for (let i = 0; i < BIG; i += 1_000) {
      const chunk = Array.from({ length: 1_000 }, (_, j) => [String((i + j) / 8), `m-${i + j}`]).flat();
      await redis.client.zadd("read:zset", ...chunk);
    }
    await redis.client.zadd("read:zset", "+inf", "top");

    const pages = itemsOf(await readAll("read:zset"), "zset");

    const members = pages.flatMap((page) => page.members);
    expect(members).toHaveLength(BIG + 1);
    expect(members.slice(0, 3).map((m) => [m.value.display, m.score])).toEqual([
      ["m-0", "0"],
      ["m-1", "0.125"],
      ["m-2", "0.25"],
    ]);
    expect(members.at(-1)).toMatchObject({ value: { display: "top" }, score: "inf" });
  });

  it("pages through a 10,000-field hash with HSCAN, each field once with its value", async () => {
    for (let i = 0; i < BIG; i += 1_000) {
      await redis.client.hset(
        "read:hash",
        ...Array.from({ length: 1_000 }, (_, j) => [`f${i + j}`, String(i + j)]).flat(),
      );
    }

    const pages = itemsOf(await readAll("read:hash"), "hash");

    expect(pages.length).toBeGreaterThan(50);
    const fields = pages.flatMap((page) => page.fields);
    expect(fields).toHaveLength(BIG);
    expect(new Map(fields.map((field) => [field.name, field.value.display]))).toEqual(
      new Map(Array.from({ length: BIG }, (_, i) => [`f${i}`, String(i)])),
    );
    expect(pages[0]).toMatchObject({ size: BIG, encoding: "hashtable" });
  });

  it("pages through a stream's entries newest first", async () => {
    const pipeline = redis.client.pipeline();
    for (let i = 1; i <= 1_000; i++) pipeline.xadd("read:stream", `${i}-0`, "n", String(i));
    await pipeline.exec();

    const pages = itemsOf(await readAll("read:stream"), "stream");

    expect(pages).toHaveLength(10);
    const entries = pages.flatMap((page) => page.entries);
    expect(entries.map((entry) => entry.id)).toEqual(
      Array.from({ length: 1_000 }, (_, i) => `${1_000 - i}-0`),
    );
    expect(entries[0]?.fields).toEqual([{ name: "n", value: expect.objectContaining({ display: "1000" }) }]);
    expect(pages[0]).toMatchObject({ length: 1_000, encoding: "stream" });
  });

  it("tells a key's encoding, idle time, TTL and memory; access frequency only under an LFU policy", async () => {
    await redis.client.hset("read:small", "a", "1");
    await redis.client.expire("read:small", 600);

    // Redis' own answer just before and just after the page: reading the key does not touch it.
    const idle = () => redis.client.object("IDLETIME", "read:small") as Promise<number>;
    const idleBefore = await idle();
    const lru = await readKey(CONN, Buffer.from("read:small"));
    expect(lru).toMatchObject({ type: "hash", encoding: "listpack", ttlSeconds: 600, frequency: null });
    expect([idleBefore, await idle()]).toContain(lru.idleSeconds);
    expect(lru.memoryBytes).toBeGreaterThan(0);

    await redis.client.config("SET", "maxmemory-policy", "allkeys-lfu");
    try {
      const frequency = () => redis.client.object("FREQ", "read:small") as Promise<number>;
      const frequencyBefore = await frequency();
      const lfu = await readKey(CONN, Buffer.from("read:small"));
      expect([frequencyBefore, await frequency()]).toContain(lfu.frequency);
      expect(lfu.idleSeconds).toBeNull();
    } finally {
      await redis.client.config("SET", "maxmemory-policy", "noeviction");
    }
  });

  it("answers NOT_FOUND for a missing key, INVALID for a bad cursor, FORBIDDEN for console state", async () => {
    await expect(readKey(CONN, Buffer.from("read:missing"))).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: "There is no key named read:missing.",
    });
    await expect(readKey(CONN, Buffer.from("read:hash"), { cursor: "(1-0" })).rejects.toMatchObject({
      code: "INVALID",
      message: "That page cursor is malformed; start from the first page.",
    });
    await expect(readKey(CONN, Buffer.from("read:stream"), { cursor: "abc" })).rejects.toMatchObject({
      code: "INVALID",
    });
    await redis.client.set("__console:keys-test:secret", "x");
    await expect(readKey(CONN, Buffer.from("__console:keys-test:secret"))).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });
});
