"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useShardName } from "@/components/cluster/shard-name";
import { api, queryKeys } from "@/components/query/api";
import { fetchJson } from "@/components/query/fetch-json";
import { useFormat } from "@/components/ui/format";

// The Overview's short word on a cluster: balanced or not, and a way to the Cluster page. Shares
// the Cluster page's query (and so its shared, rate-limited reads); shown for cluster connections only.

const TONE = {
  skewed: "border-amber-300 bg-amber-50 text-amber-950",
  balanced: "border-emerald-200 bg-emerald-50 text-emerald-950",
  single: "border-slate-200 bg-white text-slate-800",
  unknown: "border-slate-200 bg-white text-slate-800",
} as const;

export function ClusterGlance({ connectionId }: { connectionId: string }) {
  const t = useTranslations("cluster");
  const f = useFormat();
  const shardName = useShardName();
  const { data } = useQuery({
    queryKey: queryKeys.cluster(connectionId, "1m"),
    queryFn: () => fetchJson(api.cluster(connectionId, "1m")),
    // Soon after a start the sampler has no per-shard figures yet: ask again sooner until it has.
    refetchInterval: (query) => (query.state.data?.skew.verdict === "unknown" ? 2_000 : 10_000),
    refetchIntervalInBackground: false,
  });
  if (!data) return null;
  const { skew } = data;
  const worst = skew.worst;
  return (
    <section
      aria-label={t("glance.heading")}
      className={`mb-6 flex flex-wrap items-center justify-between gap-3 rounded-xl border px-5 py-3 text-sm shadow-sm ${TONE[skew.verdict]}`}
      data-testid="cluster-glance"
      data-verdict={skew.verdict}
    >
      <p>
        <span className="font-semibold">
          {t("mode.cluster", { shards: data.shards.length, slots: f.count(data.slotsAssigned ?? 0) })}
        </span>{" "}
        {skew.verdict === "skewed" && worst
          ? t("verdict.skewed", {
              shard: shardName(worst.shard),
              share: f.percent(worst.share),
              metric: t(`verdict.metrics.${worst.metric}`),
              ratio: f.rate(worst.ratio),
            })
          : skew.verdict === "balanced"
            ? t("verdict.balanced", { ratio: f.rate(skew.ratio) })
            : t(`verdict.${skew.verdict}`)}
      </p>
      <Link href="/cluster" className="font-medium underline underline-offset-2">
        {t("glance.open")}
      </Link>
    </section>
  );
}
