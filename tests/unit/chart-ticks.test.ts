import { describe, expect, it } from "vitest";
import { niceBins, niceByteTicks, niceStep, niceTicks } from "@/components/charts/nice";
import { createTranslator } from "use-intl/core";
import { sampleNote, type HistogramTranslate } from "@/components/charts/vector-histogram";
import en from "@/lib/i18n/messages/en.json";
import { formattersFor } from "@/lib/i18n/format";
import { spreadOf } from "@/components/models/param-chart";

describe("round axis ticks", () => {
  it("steps by 1, 2 or 5 times a power of ten", () => {
    expect([0.3, 1, 1.2, 3, 7, 55, 0.04].map(niceStep)).toEqual([0.5, 1, 2, 5, 10, 100, 0.05]);
  });

  it("reads 0 / 50 / 100 … rather than 0 / 55 / 110 / 165 / 220", () => {
    expect(niceTicks(0, 220, 5)).toEqual([0, 100, 200, 300]);
    expect(niceTicks(0, 260, 5)).toEqual([0, 100, 200, 300]);
    expect(niceTicks(0, 9, 4)).toEqual([0, 5, 10]);
    expect(niceTicks(-0.3, 0.9, 5)).toEqual([-0.5, 0, 0.5, 1]);
  });

  it("puts a bytes axis on round figures of the unit it is shown in", () => {
    const MB = 1024 ** 2;
    expect(niceByteTicks(267 * MB)).toEqual([0, 100, 200, 300].map((n) => n * MB));
    expect(niceByteTicks(11.4 * MB)).toEqual([0, 5, 10, 15].map((n) => n * MB));
  });
});

describe("a vector's histogram", () => {
  it("uses bins of a round width whose edges are multiples of it", () => {
    const { width, bins } = niceBins([-0.98, -0.5, 0, 0.12, 0.97], -0.98, 0.97, 20);
    expect(width).toBe(0.1);
    expect(bins[0]!.start).toBe(-1);
    expect(bins.at(-1)!.start).toBe(0.9);
    expect(bins.reduce((sum, bin) => sum + bin.count, 0)).toBe(5);
  });

  it("says what it sampled", () => {
    const t = createTranslator({ locale: "en", messages: en, namespace: "charts.histogram" });
    const f = formattersFor("en");
    const note = t as unknown as HistogramTranslate;
    expect(sampleNote(64, 256, note, f)).toBe("every 4th of 256 values (64 drawn)");
    expect(sampleNote(10, 10, note, f)).toBe("all 10 values");
  });
});

describe("the parameter chart's scale", () => {
  it("measures how far apart parameters are, ignoring zeros", () => {
    expect(spreadOf([300, 0.03, 0])).toBeCloseTo(10_000);
    expect(spreadOf([1.5, 2.3])).toBeCloseTo(2.3 / 1.5);
  });
});
