import { describe, expect, it } from "vitest";
import { SharedMessage } from "@/lib/live/payload";
import { MessageRing } from "@/lib/live/ring";

const message = (n: number, bytes = 10) => new SharedMessage(() => String(n), bytes);

describe("a tab's message ring", () => {
  it("keeps the newest messages in order and counts what it drops", () => {
    const ring = new MessageRing(3, 1_000);
    const dropped = [1, 2, 3, 4, 5].map((n) => ring.push(message(n)));
    expect(dropped).toEqual([0, 0, 0, 1, 1]);
    expect([0, 1, 2].map((i) => ring.at(i).json)).toEqual(["3", "4", "5"]);
    expect(ring.shift().json).toBe("3");
    expect(ring.length).toBe(2);
  });

  it("also bounds bytes, dropping the oldest until the new message fits", () => {
    const ring = new MessageRing(100, 50);
    ring.push(message(1, 20));
    ring.push(message(2, 20));
    expect(ring.push(message(3, 30))).toBe(1);
    expect(ring.bytes).toBe(50);
    expect(ring.at(0).json).toBe("2");
  });
});
