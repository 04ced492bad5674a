import { describe, expect, it } from "vitest";
import { classifyRead } from "@/lib/redis/own-reads";

describe("which replies are hits and which are misses", () => {
  it.each([
    ["type", ["k"], "hash", { hits: 1, misses: 0 }],
    ["type", ["k"], "none", { hits: 0, misses: 1 }],
    ["pttl", ["k"], -1, { hits: 1, misses: 0 }],
    ["pttl", ["k"], -2, { hits: 0, misses: 1 }],
    ["exists", ["a", "b", "c"], 2, { hits: 2, misses: 1 }],
    ["get", ["k"], null, { hits: 0, misses: 1 }],
    ["get", ["k"], Buffer.from(""), { hits: 1, misses: 0 }],
    ["hlen", ["k"], 0, { hits: 0, misses: 1 }],
    ["hscan", ["k", "0"], [Buffer.from("0"), []], { hits: 0, misses: 1 }],
    ["hscan", ["k", "0"], [Buffer.from("17"), []], { hits: 1, misses: 0 }],
    ["lrange", ["k", 0, 9], [Buffer.from("x")], { hits: 1, misses: 0 }],
    ["object", ["ENCODING", "k"], null, { hits: 0, misses: 1 }],
  ] as const)("%s %j → %j", (name, args, reply, verdict) => {
    expect(classifyRead(name, args, reply)).toEqual(verdict);
  });

  it("ignores commands that look no key up the way Redis counts", () => {
    expect(classifyRead("memory", ["USAGE", "k"], 120)).toBeNull();
    expect(classifyRead("set", ["k", "v"], "OK")).toBeNull();
    expect(classifyRead("info", [], "")).toBeNull();
    expect(classifyRead("object", ["HELP"], [])).toBeNull();
  });
});
