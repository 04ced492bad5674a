"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { HotKeysCard } from "@/components/cluster/hot-keys-card";
import { ShardCharts } from "@/components/cluster/shard-charts";
import { ShardFiguresTable } from "@/components/cluster/shard-figures-table";
import { SkewCauseCard } from "@/components/cluster/skew-cause";
import { SkewVerdict } from "@/components/cluster/skew-verdict";
import { TopologyTable } from "@/components/cluster/topology-table";
import { api, queryKeys } from "@/components/query/api";
import { fetchJson } from "@/components/query/fetch-json";
import { useFormat } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import { ToggleGroup } from "@/components/ui/toggle-group";
import { CLUSTER_RANGE_NAMES, type ClusterRange } from "@/lib/validation/cluster-ranges";

// The Cluster page (issue 16): whether the shards are balanced and, if not, why — the verdict
// first, then the topology, each shard's figures and charts, the cause and the hot keys. Polls the
// one route, which reads nothing from Redis per viewer beyond shared, rate-limited reads.

const SOURCE_COMMAND = {
  "cluster-shards": "CLUSTER SHARDS",
  "cluster-nodes": "CLUSTER NODES",
} as const;

const POLL_MS: Record<ClusterRange, number> = { "1m": 2_000, "15m": 5_000, "1h": 10_000 };

export function ClusterPanel({ connectionId }: { connectionId: string }) {
  const t = useTranslations("cluster");
  const f = useFormat();
  const [range, setRange] = useState<ClusterRange>("1m");
  const { data, error } = useQuery({
    queryKey: queryKeys.cluster(connectionId, range),
    queryFn: () => fetchJson(api.cluster(connectionId, range)),
    refetchInterval: POLL_MS[range],
    refetchIntervalInBackground: false,
    placeholderData: (previous) => previous,
  });

  return (
    <div className="flex min-w-0 flex-col gap-6" data-testid="cluster-panel" data-mode={data?.mode}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-slate-600" data-testid="cluster-mode">
          {data &&
            (data.mode === "cluster"
              ? t("mode.cluster", { shards: data.shards.length, slots: f.count(data.slotsAssigned ?? 0) })
              : t(`mode.${data.mode}`))}
        </p>
        <ToggleGroup
          label={t("rangeLabel")}
          options={CLUSTER_RANGE_NAMES}
          value={range}
          onChange={setRange}
          optionTitle={(name) => t("rangeTitle", { span: t(`ranges.${name}`) })}
        />
      </div>
      {error && (
        <Notice tone={data ? "warning" : "error"} title={t("loadError")}>
          {error.message} {t("retrying")}
        </Notice>
      )}
      {!data && !error && <p className="text-sm text-slate-500">{t("loading")}</p>}
      {data && (
        <>
          <SkewVerdict view={data} />
          {data.sampledAt === null && <Notice tone="info">{t("following")}</Notice>}
          <TopologyTable view={data} />
          <ShardFiguresTable view={data} />
          <ShardCharts view={data} />
          {data.shards.length > 1 && <SkewCauseCard view={data} />}
          <HotKeysCard view={data} />
          <p className="text-xs text-slate-500">
            {data.source === "info"
              ? t("sourceInfo")
              : t.rich("source", {
                  command: SOURCE_COMMAND[data.source],
                  code: (chunks) => <code>{chunks}</code>,
                })}
          </p>
        </>
      )}
    </div>
  );
}
