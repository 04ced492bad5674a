import { describe, expect, it } from "vitest";
import {
  BATCH_LIMITS,
  etaSeconds,
  examinedKeys,
  nextBatchSize,
  progressFraction,
  ratePerSecond,
  type NodeProgress,
} from "@/lib/cache/pacing";

describe("flush batch size, paced by Redis's own time per step", () => {
  it("halves the batch when Redis spent over 4 ms on a step, so other clients wait less", () => {
    expect(nextBatchSize(1_000, 5)).toBe(500);
    expect(nextBatchSize(150, 50)).toBe(BATCH_LIMITS.min);
  });

  it("grows the batch by half when Redis spent under 2 ms on a step, up to the maximum", () => {
    expect(nextBatchSize(1_000, 1.9)).toBe(1_500);
    expect(nextBatchSize(500, 1)).toBe(750);
    expect(nextBatchSize(1_900, 0.2)).toBe(BATCH_LIMITS.max);
  });

  it("keeps the batch while Redis spends 2 to 4 ms on a step", () => {
    expect(nextBatchSize(800, 2)).toBe(800);
    expect(nextBatchSize(800, 3)).toBe(800);
    expect(nextBatchSize(800, 4)).toBe(800);
  });

  it("reaches the largest batch in two steps from the first while Redis answers fast", () => {
    let size: number = BATCH_LIMITS.initial;
    for (const redisMs of [1.5, 1.9]) size = nextBatchSize(size, redisMs);
    expect(size).toBe(BATCH_LIMITS.max);
  });

  it("settles within its bounds whatever the timings", () => {
    let size: number = BATCH_LIMITS.initial;
    for (const ms of [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 20, 20, 20, 20, 20, 20, 0.5]) {
      size = nextBatchSize(size, ms);
      expect(size).toBeGreaterThanOrEqual(BATCH_LIMITS.min);
      expect(size).toBeLessThanOrEqual(BATCH_LIMITS.max);
    }
  });
});

describe("job progress figures", () => {
  const node = (examined: number, total: number, complete = false): NodeProgress => ({
    examined,
    total,
    complete,
  });

  it("counts keys examined per node, capped by the node's size, a finished node in full", () => {
    expect(examinedKeys([node(500, 1_000), node(5_000, 1_000), node(10, 300, true)])).toBe(500 + 1_000 + 300);
  });

  it("reports progress over every node and reaches 1 only when every node finished", () => {
    expect(progressFraction([node(250, 1_000), node(750, 1_000)])).toBe(0.5);
    expect(progressFraction([node(5_000, 1_000), node(5_000, 1_000)])).toBe(0.99);
    expect(progressFraction([node(1_000, 1_000, true), node(1_000, 1_000, true)])).toBe(1);
    expect(progressFraction([node(0, 0)])).toBe(0);
  });

  it("estimates the time left from the pace so far", () => {
    expect(etaSeconds(0.25, 3_000)).toBe(9);
    expect(etaSeconds(0.5, 10_000)).toBe(10);
    expect(etaSeconds(1, 10_000)).toBe(0);
  });

  it("does not guess the time left too early", () => {
    expect(etaSeconds(0.5, 50)).toBeNull();
    expect(etaSeconds(0.001, 5_000)).toBeNull();
  });

  it("gives the rate in keys per second", () => {
    expect(ratePerSecond(50_000, 2_000)).toBe(25_000);
    expect(ratePerSecond(10, 0)).toBe(0);
  });
});
