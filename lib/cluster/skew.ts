// Whether the data and the load are spread evenly over the shards: for keys, memory and ops/s,
// the largest shard against the mean of all. Pure, so the judgement is unit-tested.

/** A shard holding at least this many times the mean is "skewed" (the page states it). */
export const SKEW_RATIO = 1.5;

export type SkewMetric = "keys" | "memory" | "ops";

/** Below these totals the figures are too small to judge (an empty or idle cluster is not skewed). */
export const SKEW_FLOORS: Record<SkewMetric, number> = { keys: 100, memory: 0, ops: 10 };

export interface SkewMeasure {
  metric: SkewMetric;
  total: number;
  mean: number;
  /** The index (in the shards list) of the largest shard. */
  shard: number;
  largest: number;
  /** largest / total. */
  share: number;
  /** largest / mean. */
  ratio: number;
  /** false when the total is under the metric's floor, or a shard's figure is missing. */
  judged: boolean;
  skewed: boolean;
}

export interface SkewReport {
  ratio: number;
  /** "single": one shard, nothing to compare; "unknown": no figures yet (another instance samples). */
  verdict: "single" | "balanced" | "skewed" | "unknown";
  measures: SkewMeasure[];
  /** The skewed measure with the highest ratio, for the headline. */
  worst: SkewMeasure | null;
}

export function measureSkew(metric: SkewMetric, values: (number | null)[]): SkewMeasure {
  const known = values.map((value) => value ?? 0);
  const total = known.reduce((sum, value) => sum + value, 0);
  const mean = known.length > 0 ? total / known.length : 0;
  let shard = 0;
  known.forEach((value, index) => {
    if (value > known[shard]!) shard = index;
  });
  const largest = known[shard] ?? 0;
  const judged = known.length > 1 && values.every((value) => value !== null) && total > SKEW_FLOORS[metric];
  const ratio = mean > 0 ? largest / mean : 0;
  return {
    metric,
    total,
    mean,
    shard,
    largest,
    share: total > 0 ? largest / total : 0,
    ratio,
    judged,
    skewed: judged && ratio >= SKEW_RATIO,
  };
}

export function judgeSkew(
  shards: { keys: number | null; memory: number | null; ops: number | null }[],
): SkewReport {
  const measures = (["keys", "memory", "ops"] as const).map((metric) =>
    measureSkew(
      metric,
      shards.map((shard) => shard[metric]),
    ),
  );
  if (shards.length <= 1) return { ratio: SKEW_RATIO, verdict: "single", measures, worst: null };
  const skewed = measures.filter((measure) => measure.skewed).sort((a, b) => b.ratio - a.ratio);
  const verdict = skewed.length > 0 ? "skewed" : measures.some((m) => m.judged) ? "balanced" : "unknown";
  return { ratio: SKEW_RATIO, verdict, measures, worst: skewed[0] ?? null };
}
