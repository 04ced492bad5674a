"use client";

import { useTranslations } from "next-intl";
import { useShardName } from "@/components/cluster/shard-name";
import { useFormat } from "@/components/ui/format";
import type { ClusterView } from "@/lib/cluster";
import { SKEW_FLOORS } from "@/lib/cluster/skew";

// The one-look answer: balanced or skewed, which shard and by how much, against a stated threshold.

const TONE = {
  skewed: "border-amber-300 bg-amber-50 text-amber-950",
  balanced: "border-emerald-200 bg-emerald-50 text-emerald-950",
  single: "border-slate-200 bg-white text-slate-800",
  unknown: "border-slate-200 bg-white text-slate-800",
} as const;

export function SkewVerdict({ view }: { view: ClusterView }) {
  const t = useTranslations("cluster.verdict");
  const f = useFormat();
  const shardName = useShardName();
  const { skew } = view;
  const ratio = f.rate(skew.ratio);
  const worst = skew.worst;
  return (
    <section
      aria-label={t("heading")}
      className={`rounded-xl border px-5 py-4 shadow-sm ${TONE[skew.verdict]}`}
      data-testid="cluster-verdict"
      data-verdict={skew.verdict}
      data-shard={worst?.shard}
    >
      <h2 className="text-xs font-medium tracking-wide uppercase opacity-70">{t("heading")}</h2>
      <p className="mt-1 text-lg font-semibold" data-testid="cluster-verdict-text">
        {skew.verdict === "skewed" && worst
          ? t("skewed", {
              shard: shardName(worst.shard),
              share: f.percent(worst.share),
              metric: t(`metrics.${worst.metric}`),
              ratio: f.rate(worst.ratio),
            })
          : skew.verdict === "balanced"
            ? t("balanced", { ratio })
            : t(skew.verdict)}
      </p>
      {view.shards.length > 1 && (
        <ul className="mt-2 flex flex-col gap-0.5 text-sm sm:flex-row sm:flex-wrap sm:gap-x-6">
          {skew.measures.map((measure) => (
            <li key={measure.metric} className={measure.skewed ? "font-semibold" : ""}>
              {measure.judged
                ? t("measure", {
                    metric: t(`metrics.${measure.metric}`),
                    shard: shardName(measure.shard),
                    share: f.percent(measure.share),
                    ratio: f.rate(measure.ratio),
                  })
                : t("notJudged", { metric: t(`metrics.${measure.metric}`) })}
            </li>
          ))}
        </ul>
      )}
      <p className="mt-2 text-xs opacity-80" data-testid="cluster-threshold">
        {t("threshold", { ratio, keys: f.count(SKEW_FLOORS.keys), ops: f.count(SKEW_FLOORS.ops) })}
      </p>
    </section>
  );
}
