import { describe, expect, it } from "vitest";
import { groupNamespaces, namespaceName, ttlBucket, type SampledKey } from "@/lib/cache/grouping";
import { fromKeyRef } from "@/lib/redis/keys";

const sampled = (key: string | Buffer, extra: Partial<Omit<SampledKey, "key">> = {}): SampledKey => ({
  key: Buffer.isBuffer(key) ? key : Buffer.from(key),
  type: "string",
  ttlSeconds: null,
  memoryBytes: 100,
  weight: 1,
  ...extra,
});
const COLON = Buffer.from(":");
const TOP = Buffer.alloc(0);

describe("TTL buckets", () => {
  it.each([
    [null, "none"],
    [1, "underMinute"],
    [59, "underMinute"],
    [60, "underHour"],
    [3_599, "underHour"],
    [3_600, "underDay"],
    [86_399, "underDay"],
    [86_400, "longer"],
    [30 * 86_400, "longer"],
  ] as const)("puts a TTL of %s seconds under %s", (ttl, bucket) => {
    expect(ttlBucket(ttl)).toBe(bucket);
  });
});

describe("namespaces from a sample", () => {
  it("groups keys by the prefix up to the delimiter, one level deep", () => {
    const { namespaces, direct } = groupNamespaces(
      [sampled("result:1"), sampled("result:2:x"), sampled("results:1"), sampled("plain"), sampled(":x")],
      TOP,
      COLON,
    );
    expect(namespaces.map((n) => [n.name, n.prefix, n.pattern, n.keysSeen])).toEqual([
      ["result", "result:", "result:*", 2],
      ["", ":", ":*", 1],
      ["results", "results:", "results:*", 1],
    ]);
    expect(direct?.keysSeen).toBe(1);
  });

  it("goes one level down under a prefix, and reports no direct keys when there are none", () => {
    const prefix = Buffer.from("cache:");
    const { namespaces, direct } = groupNamespaces(
      [sampled("cache:emb:1"), sampled("cache:emb:2"), sampled("cache:rank:1")],
      prefix,
      COLON,
    );
    expect(namespaces.map((n) => [n.prefix, n.keysSeen])).toEqual([
      ["cache:emb:", 2],
      ["cache:rank:", 1],
    ]);
    expect(direct).toBeNull();
  });

  it("scales counts and memory by each key's weight when the scan was cut short", () => {
    const [result] = groupNamespaces(
      [sampled("r:1", { weight: 10, memoryBytes: 50 }), sampled("r:2", { weight: 2.5, memoryBytes: 200 })],
      TOP,
      COLON,
    ).namespaces;
    expect(result).toMatchObject({
      keysSeen: 2,
      estimatedKeys: 13,
      memoryBytesSeen: 250,
      estimatedMemoryBytes: 1_000,
    });
  });

  it("counts the TTL distribution of the keys seen", () => {
    const [ns] = groupNamespaces(
      [null, 30, 30, 600, 7_200, 90_000].map((ttl, i) => sampled(`n:${i}`, { ttlSeconds: ttl })),
      TOP,
      COLON,
    ).namespaces;
    expect(ns!.ttl).toEqual({ none: 1, underMinute: 2, underHour: 1, underDay: 1, longer: 1 });
  });

  it("lists the five largest entries, largest first, with refs that open them", () => {
    const sizes = [30, 900, 10, 500, 700, 20, 800, 60];
    const [ns] = groupNamespaces(
      sizes.map((memoryBytes, i) => sampled(`big:${i}`, { memoryBytes, ttlSeconds: i })),
      TOP,
      COLON,
    ).namespaces;
    expect(ns!.largest.map((entry) => entry.memoryBytes)).toEqual([900, 800, 700, 500, 60]);
    expect(ns!.largest[0]).toMatchObject({ key: "big:1", type: "string", ttlSeconds: 1 });
    expect(fromKeyRef(ns!.largest[0]!.ref)?.toString()).toBe("big:1");
  });

  it("says memory is unknown when the server would not tell", () => {
    const [ns] = groupNamespaces([sampled("m:1", { memoryBytes: null })], TOP, COLON).namespaces;
    expect(ns).toMatchObject({ memoryBytesSeen: null, estimatedMemoryBytes: null, largest: [] });
  });

  it("keeps binary namespace names exact and shows them escaped", () => {
    const key = Buffer.concat([Buffer.from([0xff, 0x00]), Buffer.from(":1")]);
    const [ns] = groupNamespaces([sampled(key)], TOP, COLON).namespaces;
    expect(ns).toMatchObject({ name: "\\xff\\x00", prefix: "\\xff\\x00:", pattern: "\\xff\\x00:*" });
  });

  it("sorts by estimated keys, largest first", () => {
    const keys = [sampled("small:1"), sampled("big:1", { weight: 5 }), sampled("mid:1"), sampled("mid:2")];
    expect(groupNamespaces(keys, TOP, COLON).namespaces.map((n) => n.name)).toEqual(["big", "mid", "small"]);
  });

  it("finds the name after the prefix, or none for a key directly at the level", () => {
    expect(namespaceName(Buffer.from("a:b:c"), Buffer.from("a:"), COLON)?.toString()).toBe("b");
    expect(namespaceName(Buffer.from("a:b"), Buffer.from("a:"), COLON)).toBeNull();
    expect(namespaceName(Buffer.from("a||b"), TOP, Buffer.from("||"))?.toString()).toBe("a");
  });
});
