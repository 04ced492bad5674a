import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { collectWhenIdle, countRequest, fullCollection } from "@/lib/request/idle-collect";

// lib/request/idle-collect.ts: one full collection when the console falls quiet after a busy
// spell, none while it is busy, none again until another busy spell.

const serve = (requests: number) => {
  for (let i = 0; i < requests; i++) countRequest();
};

describe("collectWhenIdle", () => {
  let stop = () => {};
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    stop();
    vi.useRealTimers();
  });

  it("collects once when a busy spell is followed by a quiet look, and not again until the next spell", () => {
    const collect = vi.fn();
    stop = collectWhenIdle({ everyMs: 1_000, busy: 100, quiet: 5 }, collect);
    serve(150);
    vi.advanceTimersByTime(1_000);
    expect(collect).not.toHaveBeenCalled(); // 150 requests in the last second: still busy
    serve(3);
    vi.advanceTimersByTime(1_000);
    expect(collect).toHaveBeenCalledTimes(1); // quiet now, after 153 requests
    vi.advanceTimersByTime(5_000);
    expect(collect).toHaveBeenCalledTimes(1); // nothing new to give back
    serve(60);
    vi.advanceTimersByTime(1_000);
    serve(60);
    vi.advanceTimersByTime(1_000);
    vi.advanceTimersByTime(1_000);
    expect(collect).toHaveBeenCalledTimes(2); // the second spell of 120
  });

  it("never collects for a trickle that never adds up to a busy spell's worth between looks", () => {
    const collect = vi.fn();
    stop = collectWhenIdle({ everyMs: 1_000, busy: 100, quiet: 5 }, collect);
    for (let second = 0; second < 15; second++) {
      serve(4);
      vi.advanceTimersByTime(1_000);
    }
    expect(collect).toHaveBeenCalledTimes(0);
    // 60 quiet requests so far, 40 more make a spell: collected at the next quiet look.
    serve(40);
    vi.advanceTimersByTime(1_000);
    vi.advanceTimersByTime(1_000);
    expect(collect).toHaveBeenCalledTimes(1);
  });

  it("does nothing when no collection can be started", () => {
    stop = collectWhenIdle({ everyMs: 1_000, busy: 1, quiet: 5 }, null);
    serve(10);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("fullCollection", () => {
  it("gives V8's gc, which frees garbage at once, without leaving a gc on new contexts", async () => {
    const gc = fullCollection();
    expect(gc).toBeTypeOf("function");
    const { runInNewContext } = await import("node:vm");
    expect(runInNewContext("typeof gc")).toBe("undefined");
    let garbage: { i: number }[] | null = Array.from({ length: 1_000_000 }, (_, i) => ({ i }));
    const withGarbage = process.memoryUsage().heapUsed;
    garbage = null;
    gc!();
    expect(garbage).toBeNull();
    // A million small objects are well over 10 MB of heap.
    expect(withGarbage - process.memoryUsage().heapUsed).toBeGreaterThan(10 * 2 ** 20);
  });
});
