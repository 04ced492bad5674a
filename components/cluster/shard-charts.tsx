"use client";

import { useTranslations } from "next-intl";
import { useShardName } from "@/components/cluster/shard-name";
import { ChartLegend } from "@/components/charts/legend";
import { niceByteTicks, niceTicks } from "@/components/charts/nice";
import { seriesColor } from "@/components/charts/theme";
import { TimeSeriesChart, type TimeSeries } from "@/components/charts/time-series-chart";
import { Card } from "@/components/ui/card";
import { useFormat } from "@/components/ui/format";
import type { ClusterView, ShardPoint } from "@/lib/cluster";

// The Overview's charts split by shard: one line per master for ops/s, memory and keys, on one time
// axis, so the shard that runs hot or fills up is the line that leaves the others.

interface Row {
  at: number;
  shards: (ShardPoint | undefined)[];
}

type Field = "opsPerSec" | "usedMemory" | "keys";

function rowsOf(view: ClusterView): Row[] {
  const rows = new Map<number, Row>();
  view.shards.forEach((shard, index) => {
    for (const point of shard.points) {
      const row = rows.get(point.at) ?? { at: point.at, shards: [] };
      row.shards[index] = point;
      rows.set(point.at, row);
    }
  });
  return [...rows.values()].sort((a, b) => a.at - b.at);
}

export function ShardCharts({ view }: { view: ClusterView }) {
  const t = useTranslations("cluster.charts");
  const f = useFormat();
  const shardName = useShardName();
  const rows = rowsOf(view);
  const names = view.shards.map((_, index) => shardName(index));
  const seriesOf = (field: Field): TimeSeries<Row>[] =>
    names.map((name, index) => ({
      name,
      color: seriesColor(index),
      value: (row) => row.shards[index]?.[field] ?? null,
    }));
  const max = (field: Field) =>
    Math.max(0, ...rows.flatMap((row) => row.shards.map((point) => point?.[field] ?? 0)));
  const charts: { field: Field; title: string; ticks: number[]; format: (value: number) => string }[] = [
    { field: "opsPerSec", title: t("ops"), ticks: niceTicks(0, max("opsPerSec")), format: f.measure },
    { field: "usedMemory", title: t("memory"), ticks: niceByteTicks(max("usedMemory"), 4), format: f.bytes },
    { field: "keys", title: t("keys"), ticks: niceTicks(0, max("keys")), format: f.measure },
  ];
  return (
    <Card>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-500">{t("empty")}</p>
      ) : (
        <div className="flex flex-col gap-4">
          <ChartLegend items={names.map((name, index) => ({ name, color: seriesColor(index) }))} />
          <div className="grid grid-cols-1 gap-x-8 gap-y-6 xl:grid-cols-3" data-testid="cluster-charts">
            {charts.map((chart) => (
              <figure key={chart.field} className="min-w-0">
                <figcaption className="mb-2 text-sm font-medium text-slate-700">{chart.title}</figcaption>
                <TimeSeriesChart
                  rows={rows}
                  series={seriesOf(chart.field)}
                  title={chart.title}
                  height={180}
                  x={{ format: f.clock }}
                  y={{ ticks: chart.ticks, width: 72, format: chart.format }}
                  tooltip={{ label: (at) => `${f.clock(at)} UTC`, value: (value) => chart.format(value) }}
                />
              </figure>
            ))}
          </div>
        </div>
      )}
    </Card>
  );
}
