"use client";

import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { useShardName } from "@/components/cluster/shard-name";
import { Card } from "@/components/ui/card";
import { Table } from "@/components/ui/table";
import type { ClusterView } from "@/lib/cluster";

// The keys read most, per shard, where Redis counts reads (an LFU policy); otherwise how to turn
// that on, rather than an empty list.

export function HotKeysCard({ view }: { view: ClusterView }) {
  const t = useTranslations("cluster.hotKeys");
  const shardName = useShardName();
  const hot = view.hotKeys;
  const code = (chunks: ReactNode) => <code className="rounded bg-slate-100 px-1">{chunks}</code>;
  return (
    <Card title={t("heading")}>
      <div
        className="flex flex-col gap-4 text-sm text-slate-700"
        data-testid="cluster-hot-keys"
        data-lfu={hot.lfu}
      >
        {!hot.lfu ? (
          <p>{t.rich("lfuOff", { policy: hot.policy || t("unknownPolicy"), code })}</p>
        ) : (
          <>
            <p>{t.rich("lfuOn", { code })}</p>
            <div className="grid grid-cols-1 gap-5 lg:grid-cols-2 xl:grid-cols-3">
              {hot.shards.map((shard) => (
                <div key={shard.shard} className="flex min-w-0 flex-col gap-2">
                  <h3 className="font-semibold">
                    {t("sampled", { shard: shardName(shard.shard), count: shard.sampled })}
                  </h3>
                  {shard.keys.length === 0 ? (
                    <p className="text-slate-500">{t("none")}</p>
                  ) : (
                    <Table
                      columns={[{ label: t("columns.key") }, { label: t("columns.freq"), align: "right" }]}
                      testId="cluster-hot-key-list"
                    >
                      <tbody>
                        {shard.keys.map((key) => (
                          <tr key={key.ref} className="border-t border-slate-100" data-testid="hot-key">
                            <td
                              className="max-w-[16rem] truncate py-1.5 pr-4 font-mono text-xs"
                              translate="no"
                            >
                              {key.key}
                            </td>
                            <td className="py-1.5 text-right tabular-nums">{key.freq}</td>
                          </tr>
                        ))}
                      </tbody>
                    </Table>
                  )}
                </div>
              ))}
            </div>
          </>
        )}
      </div>
    </Card>
  );
}
