import { formatCount } from "@/components/ui/format";
import type { TtlBucket, TtlDistribution } from "@/lib/cache/grouping";

const TTL_BUCKETS: readonly TtlBucket[] = ["none", "underMinute", "underHour", "underDay", "longer"];

const LABELS: Record<TtlBucket, string> = {
  none: "none",
  underMinute: "<1 min",
  underHour: "<1 h",
  underDay: "<1 day",
  longer: "longer",
};

const COLORS: Record<TtlBucket, string> = {
  none: "bg-slate-400",
  underMinute: "bg-red-400",
  underHour: "bg-amber-400",
  underDay: "bg-sky-400",
  longer: "bg-emerald-500",
};

/** The TTLs of the keys seen, as a tiny stacked bar with the counts beside it. */
export function TtlBar({ ttl }: { ttl: TtlDistribution }) {
  const total = TTL_BUCKETS.reduce((sum, bucket) => sum + ttl[bucket], 0);
  const summary = TTL_BUCKETS.map((bucket) => `${LABELS[bucket]}: ${formatCount(ttl[bucket])}`).join(", ");
  return (
    <div className="flex min-w-40 flex-col gap-1" title={summary} data-testid="ttl-distribution">
      <div className="flex h-2 w-40 overflow-hidden rounded bg-slate-100" aria-hidden>
        {total > 0 &&
          TTL_BUCKETS.filter((bucket) => ttl[bucket] > 0).map((bucket) => (
            <div
              key={bucket}
              className={COLORS[bucket]}
              style={{ width: `${(ttl[bucket] / total) * 100}%` }}
            />
          ))}
      </div>
      <p className="text-xs text-slate-500">
        <span className="sr-only">TTL: </span>
        {TTL_BUCKETS.filter((bucket) => ttl[bucket] > 0)
          .map((bucket) => `${LABELS[bucket]} ${formatCount(ttl[bucket])}`)
          .join(" · ") || "no keys"}
      </p>
    </div>
  );
}
