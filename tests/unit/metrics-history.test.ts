import { describe, expect, it } from "vitest";
import { buildHistory, latestOf, windowOf } from "@/lib/metrics/history";
import type { Sample, SeriesPoint } from "@/lib/metrics/sample";
import { MetricsSeries } from "@/lib/metrics/series";
import { metricsQuerySchema } from "@/lib/validation/metrics";

// On a minute boundary, so 10-s and 60-s buckets start with the series.
const T0 = 1_699_999_980_000;

/** One second of steady traffic per sample: 30 GET hits, 10 GET misses, 50 commands. */
function steady(second: number, fields: Partial<Sample> = {}): Sample {
  return {
    at: T0 + second * 1_000,
    hits: second * 30,
    misses: second * 10,
    expired: second,
    evicted: 0,
    commands: second * 50,
    netIn: second * 1_000,
    netOut: second * 4_000,
    calls: { get: second * 40, info: second },
    usedMemory: 2_000_000,
    maxMemory: 8_000_000,
    fragmentation: 1.1,
    clients: 4,
    blocked: 0,
    keys: 100,
    uptime: 10_000 + second,
    nodes: 1,
    ...fields,
  };
}

const window1m = (toSecond: number) => ({
  range: "1m" as const,
  from: T0 + (toSecond - 60) * 1_000,
  to: T0 + toSecond * 1_000,
  stepMs: 1_000,
  maxStepMs: 5_000,
});

describe("a history window", () => {
  it("has one point per sample with the rates of the step ending there", () => {
    const series = Array.from({ length: 61 }, (_, i) => steady(i));
    const history = buildHistory(windowOf(series, T0), window1m(60));
    expect(history.points).toHaveLength(61);
    // The first sample has no earlier one to make a step with.
    expect(history.points[0]).toMatchObject({ hitRate: null, reads: null, opsPerSec: null, reset: false });
    expect(history.points[1]).toMatchObject({
      hitRate: 0.75,
      reads: 40,
      opsPerSec: 50,
      expiredPerSec: 1,
      netInPerSec: 1_000,
      netOutPerSec: 4_000,
      usedMemory: 2_000_000,
      maxMemory: 8_000_000,
      commandsPerSec: { get: 40, info: 1 },
    });
    expect(history.topCommands).toEqual(["get", "info"]);
    expect(history.hitRate).toEqual({ ratio: 0.75, hits: 1_800, misses: 600 });
    expect(history.gaps).toEqual([]);
  });

  it("uses the sample before the window so its first point has a rate", () => {
    const series = Array.from({ length: 120 }, (_, i) => steady(i));
    const history = buildHistory(windowOf(series, T0 + 59_500), window1m(119.5));
    expect(history.points[0]).toMatchObject({ at: T0 + 60_000, hitRate: 0.75 });
  });

  it("says no reads (null hit rate, 0 reads) for idle steps — not 100%, not 0%", () => {
    const idle = [steady(1), steady(2, { hits: 30, misses: 10 }), steady(3, { hits: 30, misses: 10 })];
    const history = buildHistory(idle, window1m(3));
    expect(history.points.slice(1)).toMatchObject([
      { hitRate: null, reads: 0, opsPerSec: 50 },
      { hitRate: null, reads: 0, opsPerSec: 50 },
    ]);
    expect(history.hitRate).toEqual({ ratio: null, hits: 0, misses: 0 });
  });

  it("shows a Redis outage as a gap from the failure to the next sample, and an ongoing one as open", () => {
    const down: SeriesPoint = { at: T0 + 10_500, gap: "unreachable" };
    const series: SeriesPoint[] = [
      steady(9),
      steady(10),
      down,
      steady(30, { uptime: 3 }),
      steady(31, { uptime: 4 }),
    ];
    const history = buildHistory(series, window1m(33));
    expect(history.gaps).toEqual([
      { from: T0 - 27_000, to: T0 + 9_000, reason: "not-sampled" },
      { from: T0 + 10_500, to: T0 + 30_000, reason: "unreachable" },
    ]);
    // The first sample after the outage has no step, so no rate (never a negative one).
    expect(history.points.find((p) => p.at === T0 + 30_000)).toMatchObject({ opsPerSec: null });

    const ongoing = buildHistory([steady(9), steady(10), down], window1m(20));
    expect(ongoing.gaps.at(-1)).toEqual({ from: T0 + 10_500, to: null, reason: "unreachable" });
  });

  it("shows a stale tail as not sampled", () => {
    const history = buildHistory(
      Array.from({ length: 11 }, (_, i) => steady(i + 20)),
      window1m(60),
    );
    expect(history.gaps.at(-1)).toEqual({ from: T0 + 30_000, to: null, reason: "not-sampled" });
  });
});

describe("the newest reading", () => {
  it("is live with 1-second rates, unreachable after a failed INFO, stale when old", () => {
    expect(latestOf([steady(1), steady(2)], T0 + 2_500, 5_000)).toMatchObject({
      state: "live",
      since: null,
      point: { hitRate: 0.75, opsPerSec: 50 },
    });
    expect(latestOf([steady(2), { at: T0 + 3_000, gap: "unreachable" }], T0 + 4_000, 5_000)).toEqual({
      point: null,
      topCommands: [],
      state: "unreachable",
      since: T0 + 3_000,
    });
    expect(latestOf([steady(1), steady(2)], T0 + 60_000, 5_000)).toMatchObject({
      state: "stale",
      since: T0 + 2_000,
    });
    expect(latestOf([], T0, 5_000)).toMatchObject({ state: "stale", point: null });
  });
});

describe("the in-memory series", () => {
  const options = { intervalMs: 1_000, longBucketMs: 60_000 };

  function fill(series: MetricsSeries, fromSecond: number, toSecond: number) {
    for (let s = fromSecond; s <= toSecond; s++) series.append(steady(s));
  }

  it("feeds the 1h range in 10-s buckets and the 24h range in 60-s buckets", () => {
    const series = new MetricsSeries(options);
    fill(series, 0, 599);
    const now = T0 + 600_000;
    const hour = series.history("1h", now);
    expect(hour.stepMs).toBe(10_000);
    expect(hour.points).toHaveLength(60);
    expect(hour.points[1]).toMatchObject({ hitRate: 0.75, opsPerSec: 50 });
    const day = series.history("24h", now);
    expect(day.stepMs).toBe(60_000);
    // Nine closed minutes and the one still filling.
    expect(day.points).toHaveLength(10);
    expect(day.points[2]).toMatchObject({ hitRate: 0.75, opsPerSec: 50 });
    expect(day.hitRate.ratio).toBe(0.75);
  });

  it("counts every read of a downsampled range, the first bucket after sampling began included", () => {
    const series = new MetricsSeries(options);
    fill(series, 0, 12);
    // 12 one-second steps of 30 hits and 10 misses; the 5-s buckets alone would miss the first one.
    expect(series.history("15m", T0 + 12_500).hitRate).toEqual({ ratio: 0.75, hits: 360, misses: 120 });
    expect(series.history("1m", T0 + 12_500).hitRate).toEqual({ ratio: 0.75, hits: 360, misses: 120 });
  });

  it("gives the first point of a downsampled window a rate, from the bucket before it", () => {
    const series = new MetricsSeries(options);
    fill(series, 0, 3_999);
    const hour = series.history("1h", T0 + 3_995_000);
    expect(hour.points[0]).toMatchObject({ hitRate: 0.75, opsPerSec: 50 });
    expect(hour.gaps).toEqual([]);
  });

  it("marks the time nobody sampled when sampling resumes", () => {
    const series = new MetricsSeries(options);
    fill(series, 0, 10);
    fill(series, 40, 50);
    const history = series.history("1m", T0 + 50_000);
    expect(history.gaps).toContainEqual({ from: T0 + 10_001, to: T0 + 40_000, reason: "not-sampled" });
  });

  it("drops a point no newer than the last (the holder hears its own points back)", () => {
    const series = new MetricsSeries(options);
    expect(series.append(steady(1))).toBe(true);
    expect(series.append(steady(1))).toBe(false);
    expect(series.append(steady(0))).toBe(false);
  });

  it("hands over each closed 24h bucket to be stored, and rebuilds from stored buckets after a restart", () => {
    const stored: SeriesPoint[] = [];
    const first = new MetricsSeries(options);
    for (let s = 0; s <= 185; s++) first.append(steady(s), (bucket) => stored.push(bucket));
    expect(stored).toHaveLength(3);

    const restarted = new MetricsSeries(options);
    restarted.addStoredBuckets(stored);
    // The 1-second stream also reloads; what stored buckets cover is not counted twice.
    for (let s = 0; s <= 185; s++) restarted.append(steady(s));
    const now = T0 + 186_000;
    expect(restarted.history("24h", now)).toEqual(first.history("24h", now));
  });
});

describe("the metrics route's query", () => {
  it("defaults to the 1-minute range and refuses unknown ranges", () => {
    expect(metricsQuerySchema.parse({})).toEqual({ range: "1m" });
    expect(metricsQuerySchema.parse({ conn: "main", range: "24h" })).toEqual({ conn: "main", range: "24h" });
    expect(metricsQuerySchema.safeParse({ range: "7d" }).success).toBe(false);
  });
});
