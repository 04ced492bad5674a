import { describe, expect, it } from "vitest";
import {
  epochMinute,
  HIT_COUNTER_TTL_SECONDS,
  hitCounterField,
  hitCounterKey,
  MINUTE_MS,
} from "@/lib/cache/hit-counter";
import {
  hitRateWindow,
  summarizeHitRates,
  windowMinutes,
  type MinuteCount,
} from "@/lib/cache/namespace-hits-math";

// 2024-01-01 12:34:56.789 UTC, in the middle of a minute.
const NOW = Date.UTC(2024, 0, 1, 12, 34, 56, 789);
const CURRENT = epochMinute(NOW);

function count(minute: number, namespace: string, hits: number, misses: number): MinuteCount {
  return { minute, namespace, hits, misses };
}

describe("the hit counter convention", () => {
  it("names one hash per minute under the console prefix, with hit and miss fields per namespace", () => {
    expect(epochMinute(NOW)).toBe(Math.floor(NOW / 60_000));
    expect(hitCounterKey(28_404_634)).toBe("__console:hits:28404634");
    expect(hitCounterKey(28_404_634, "ml:")).toBe("ml:hits:28404634");
    expect(hitCounterField("cache:embeddings", "hit")).toBe("cache:embeddings:hit");
    expect(hitCounterField("result", "miss")).toBe("result:miss");
    expect(HIT_COUNTER_TTL_SECONDS).toBe(90_000);
  });
});

describe("the window a range covers", () => {
  it("reads the last 15 or 60 minutes, the current one included, one point per minute", () => {
    const quarter = hitRateWindow("15m", NOW);
    expect(quarter).toEqual({ firstMinute: CURRENT - 14, lastMinute: CURRENT, stepMinutes: 1, points: 15 });
    expect(windowMinutes(quarter)).toHaveLength(15);
    expect(windowMinutes(hitRateWindow("1h", NOW))).toHaveLength(60);
  });

  it("reads at most 1,440 minutes for a day, in 10-minute points that start on the clock's tens", () => {
    const day = hitRateWindow("24h", NOW);
    expect(day.points).toBe(144);
    expect(day.stepMinutes).toBe(10);
    expect(day.firstMinute % 10).toBe(0);
    // 12:34 is the fifth minute of the 12:30 point, so the first point starts 143 points earlier.
    expect(day.firstMinute).toBe(CURRENT - 4 - 1_430);
    const minutes = windowMinutes(day);
    expect(minutes.length).toBeLessThanOrEqual(1_440);
    expect(minutes.at(-1)).toBe(CURRENT);
  });
});

describe("hit rate by namespace", () => {
  const window = hitRateWindow("15m", NOW);

  it("totals each namespace over the window: 300 hits and 100 misses read as 75 %", () => {
    const { namespaces } = summarizeHitRates(window, [
      count(CURRENT - 2, "result", 100, 50),
      count(CURRENT - 1, "result", 200, 50),
      count(CURRENT, "cache:embeddings", 10, 0),
    ]);
    expect(
      namespaces.map(({ namespace, hits, misses, hitRate }) => ({ namespace, hits, misses, hitRate })),
    ).toEqual([
      { namespace: "result", hits: 300, misses: 100, hitRate: 0.75 },
      { namespace: "cache:embeddings", hits: 10, misses: 0, hitRate: 1 },
    ]);
  });

  it("gives every namespace one point per minute, and a minute without reads is no reads, not 0 %", () => {
    const { namespaces } = summarizeHitRates(window, [
      count(CURRENT - 14, "result", 3, 1),
      count(CURRENT, "result", 0, 2),
    ]);
    const series = namespaces[0]!.series;
    expect(series).toHaveLength(15);
    expect(series[0]).toEqual({ at: (CURRENT - 14) * MINUTE_MS, hits: 3, misses: 1, hitRate: 0.75 });
    expect(series[14]).toEqual({ at: CURRENT * MINUTE_MS, hits: 0, misses: 2, hitRate: 0 });
    expect(
      series.slice(1, 14).every((point) => point.hitRate === null && point.hits + point.misses === 0),
    ).toBe(true);
  });

  it("adds a day's minutes into their 10-minute points", () => {
    const day = hitRateWindow("24h", NOW);
    const { namespaces } = summarizeHitRates(day, [
      count(day.firstMinute, "result", 1, 0),
      count(day.firstMinute + 9, "result", 0, 1),
      count(CURRENT, "result", 5, 5),
    ]);
    const series = namespaces[0]!.series;
    expect(series).toHaveLength(144);
    expect(series[0]).toMatchObject({ at: day.firstMinute * MINUTE_MS, hits: 1, misses: 1, hitRate: 0.5 });
    expect(series[1]!.hitRate).toBeNull();
    expect(series[143]).toMatchObject({ hits: 5, misses: 5, hitRate: 0.5 });
  });

  it("ignores counters outside the window", () => {
    const { namespaces } = summarizeHitRates(window, [
      count(CURRENT - 15, "old", 10, 0),
      count(CURRENT + 1, "future", 10, 0),
      count(CURRENT, "result", 1, 0),
    ]);
    expect(namespaces.map((ns) => ns.namespace)).toEqual(["result"]);
  });

  it("charts the busiest namespaces by reads and counts the ones left out", () => {
    const counts = Array.from({ length: 10 }, (_, i) => count(CURRENT, `ns${i}`, i + 1, 0));
    const { namespaces, otherNamespaces } = summarizeHitRates(window, counts, 8);
    expect(namespaces.map((ns) => ns.namespace)).toEqual([
      "ns9",
      "ns8",
      "ns7",
      "ns6",
      "ns5",
      "ns4",
      "ns3",
      "ns2",
    ]);
    expect(otherNamespaces).toBe(2);
  });

  it("orders namespaces with as many reads by name, so the lines keep their colours between polls", () => {
    const { namespaces } = summarizeHitRates(window, [count(CURRENT, "b", 1, 1), count(CURRENT, "a", 2, 0)]);
    expect(namespaces.map((ns) => ns.namespace)).toEqual(["a", "b"]);
  });

  it("has no namespaces without counters", () => {
    expect(summarizeHitRates(window, [])).toEqual({ namespaces: [], otherNamespaces: 0 });
  });
});
