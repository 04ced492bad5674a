import { describe, expect, it } from "vitest";
import { settleOwn, type OwnTotals, type SettledBefore } from "@/lib/metrics/own-settle";

// lib/metrics/own-counters.ts settleOwn: another instance's count may run ahead of INFO (it says
// what it had sent when the sample's mark reached it); no step takes out more than Redis counted
// in it, and what it could not take out goes into the next step only.

const totals = (commands: number, type: number, hits = 0): OwnTotals => ({
  hits,
  misses: 0,
  commands,
  calls: { type },
});
const info = (commands: number, type: number, set: number, hits = 0) => ({
  hits,
  misses: 0,
  commands,
  calls: { type, set },
});

/** The sample before: INFO's counters then, and the own count as counted and as stored then. */
const before = (then: SettledBefore["info"], counted: OwnTotals, settled = counted): SettledBefore => ({
  info: then,
  counted,
  settled,
});

describe("settleOwn", () => {
  it("keeps a count that Redis had counted all of", () => {
    const step = before(info(1_000, 100, 500), totals(100, 100));
    // 300 TYPE of the console and 40 SET of the application in the step.
    expect(settleOwn(step, info(1_340, 400, 540), totals(400, 400))).toEqual(totals(400, 400));
  });

  it("holds back what ran after INFO and takes it out of the next step", () => {
    const step = before(info(1_000, 100, 500), totals(100, 100));
    // The other instance said 350 TYPE by the mark; Redis had run 300 by INFO (and 40 SET).
    const first = settleOwn(step, info(1_340, 400, 540), totals(450, 450));
    expect(first.calls.type).toBe(400);
    // Of the 340 commands Redis counted, the 40 SET are not the console's (it sent none): the step
    // shows them, and takes out the 300 TYPE.
    expect(first.commands).toBe(100 + 300);
    // Next step: Redis runs the 50 held back and 200 more, the count says 200 more.
    const second = settleOwn(
      before(info(1_340, 400, 540), totals(450, 450), first),
      info(1_630, 650, 580),
      totals(650, 650),
    );
    expect(second.calls.type! - first.calls.type!).toBe(250);
    expect(second.calls.type).toBe(650);
    // In each step, the application's 40 SET and nothing of the console's.
    expect(1_630 - 1_340 - (second.commands - first.commands)).toBe(40);
    expect(1_630 - 1_000 - (second.commands - 100)).toBe(80);
  });

  it("takes out of the total no more than the calls the console could have sent", () => {
    // A count 60 ahead of INFO, and commands INFO's top list does not name (the rest): only those
    // and the console's TYPE can be its own, never the application's 40 SET.
    const step = before(info(1_000, 100, 500), totals(100, 100));
    const settled = settleOwn(step, info(1_360, 400, 540), totals(460, 400));
    expect(settled.commands).toBe(100 + 320);
    // A name the console's count has not met yet is not taken for the application's.
    const fresh = before(info(1_000, 100, 500), { ...totals(100, 100), calls: {} });
    expect(settleOwn(fresh, info(1_340, 400, 540), totals(450, 450)).commands).toBe(100 + 300);
  });

  it("takes no more than the step's own count plus what the step before held back", () => {
    // A count that ran far ahead (a process new to the sum): the next step is eaten, no more.
    const step = before(info(1_000, 100, 500), totals(5_100, 5_100), totals(100, 100));
    const eaten = settleOwn(step, info(1_040, 100, 540), totals(5_100, 5_100));
    expect(eaten.commands).toBe(5_100);
    const after = settleOwn(
      before(info(1_040, 100, 540), totals(5_100, 5_100), eaten),
      info(1_080, 100, 580),
      totals(5_100, 5_100),
    );
    expect(after.commands - eaten.commands).toBe(0);
  });

  it("goes as counted without a step before, or where a counter went back", () => {
    expect(settleOwn(null, info(10, 1, 1), totals(99, 99))).toEqual(totals(99, 99));
    const step = before(info(1_000, 100, 500), totals(100, 100));
    expect(settleOwn(step, info(10, 1, 1), totals(150, 150))).toEqual(totals(150, 150));
  });

  it("settles the console's own lookups the same way", () => {
    const step = before(info(0, 0, 0, 1_000), totals(0, 0, 200));
    expect(settleOwn(step, info(0, 0, 0, 1_100), totals(0, 0, 350)).hits).toBe(300);
  });
});
