import { describe, expect, it } from "vitest";
import { groupBySlot, keySlot } from "@/lib/cache/slot";

// Expected slots are what `CLUSTER KEYSLOT` answers on Redis 7.
describe("cluster hash slots", () => {
  it.each([
    ["foo", 12182],
    ["bar", 5061],
    ["123456789", 12739],
    ["result:1", 7870],
    ["", 0],
  ])("puts %j in slot %i, as Redis does", (key, slot) => {
    expect(keySlot(Buffer.from(key))).toBe(slot);
  });

  it("hashes only the first non-empty {hash tag}", () => {
    expect(keySlot(Buffer.from("{user1000}.following"))).toBe(3443);
    expect(keySlot(Buffer.from("foo{}{bar}"))).toBe(8363);
    expect(keySlot(Buffer.from("foo{{bar}}zap"))).toBe(4015);
    expect(keySlot(Buffer.from("foo{bar}{zap}"))).toBe(5061);
  });

  it("hashes binary keys byte for byte", () => {
    expect(keySlot(Buffer.concat([Buffer.from([0xff, 0x00]), Buffer.from("key")]))).toBe(10836);
  });

  it("groups a batch so each UNLINK stays within one slot, keeping every key once", () => {
    const keys = ["{a}1", "{b}1", "{a}2", "c", "{b}2"].map((key) => Buffer.from(key));
    const groups = groupBySlot(keys);
    expect(groups.map((group) => group.map(String))).toEqual([["{a}1", "{a}2"], ["{b}1", "{b}2"], ["c"]]);
  });
});
