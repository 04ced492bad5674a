import { useTranslations } from "next-intl";
import { useFormat } from "@/components/ui/format";
import type { TtlBucket, TtlDistribution } from "@/lib/cache/grouping";

const TTL_BUCKETS: readonly TtlBucket[] = ["none", "underMinute", "underHour", "underDay", "longer"];

const COLORS: Record<TtlBucket, string> = {
  none: "bg-slate-400",
  underMinute: "bg-red-400",
  underHour: "bg-amber-400",
  underDay: "bg-sky-400",
  longer: "bg-emerald-500",
};

/** The TTLs of the keys seen, as a tiny stacked bar with the counts beside it. */
export function TtlBar({ ttl }: { ttl: TtlDistribution }) {
  const t = useTranslations("cache.ttl");
  const f = useFormat();
  const total = TTL_BUCKETS.reduce((sum, bucket) => sum + ttl[bucket], 0);
  const summary = TTL_BUCKETS.map((bucket) => `${t(bucket)}: ${f.count(ttl[bucket])}`).join(", ");
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
          .map((bucket) => `${t(bucket)} ${f.count(ttl[bucket])}`)
          .join(" · ") || t("noKeys")}
      </p>
    </div>
  );
}
