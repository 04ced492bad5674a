"use client";

import { useTranslations } from "next-intl";
import { useShardName } from "@/components/cluster/shard-name";
import { seriesColor } from "@/components/charts/theme";
import { Card } from "@/components/ui/card";
import { useFormat } from "@/components/ui/format";
import { Table } from "@/components/ui/table";
import type { ClusterView } from "@/lib/cluster";

// Each shard's figures side by side, the skewed shard's row marked, so a hot or full shard stands
// out without reading every number.

const COLUMNS = [
  "shard",
  "keys",
  "memory",
  "ops",
  "hitRate",
  "netIn",
  "netOut",
  "clients",
  "evictions",
] as const;

export function ShardFiguresTable({ view }: { view: ClusterView }) {
  const t = useTranslations("cluster.figures");
  const f = useFormat();
  const shardName = useShardName();
  const rate = (value: number | null | undefined) => (value == null ? t("none") : f.rate(value));
  const bytesRate = (value: number | null | undefined) => (value == null ? t("none") : f.bytes(value));
  const columns = COLUMNS.map((name) => ({
    label: t(`columns.${name}`),
    align: name === "shard" ? undefined : ("right" as const),
  }));
  return (
    <Card title={t("heading")}>
      <Table columns={columns} caption={t("caption")} className="min-w-[52rem]" testId="cluster-figures">
        <tbody>
          {view.shards.map((shard, index) => {
            const figures = shard.figures;
            const skewed = view.skew.worst?.shard === index;
            return (
              <tr
                key={shard.id}
                className={`border-t border-slate-100 ${skewed ? "bg-amber-50 font-semibold" : ""}`}
                data-testid="shard-figures"
                data-shard={index}
                data-keys={figures?.keys}
              >
                <td className="py-2 pr-4 whitespace-nowrap">
                  <span
                    aria-hidden
                    className="mr-2 inline-block h-2.5 w-2.5 rounded-full"
                    style={{ background: seriesColor(index) }}
                  />
                  {shardName(index)}
                </td>
                <td className="py-2 pr-4 text-right tabular-nums">
                  {figures ? f.count(figures.keys) : t("none")}
                </td>
                <td className="py-2 pr-4 text-right whitespace-nowrap tabular-nums">
                  {figures ? f.bytes(figures.usedMemory) : t("none")}
                  {figures && figures.maxMemory > 0 && (
                    <span className="block text-xs font-normal text-slate-500">
                      {t("ofMax", { max: f.bytes(figures.maxMemory) })}
                    </span>
                  )}
                </td>
                <td className="py-2 pr-4 text-right tabular-nums">{rate(figures?.opsPerSec)}</td>
                <td className="py-2 pr-4 text-right tabular-nums">
                  {!figures
                    ? t("none")
                    : figures.hitRate === null
                      ? t("noReads")
                      : f.percent(figures.hitRate)}
                </td>
                <td className="py-2 pr-4 text-right whitespace-nowrap tabular-nums">
                  {bytesRate(figures?.netInPerSec)}
                </td>
                <td className="py-2 pr-4 text-right whitespace-nowrap tabular-nums">
                  {bytesRate(figures?.netOutPerSec)}
                </td>
                <td className="py-2 pr-4 text-right tabular-nums">
                  {figures ? f.count(figures.clients) : t("none")}
                </td>
                <td className="py-2 text-right tabular-nums">
                  {figures ? f.count(figures.evicted) : t("none")}
                </td>
              </tr>
            );
          })}
        </tbody>
      </Table>
    </Card>
  );
}
