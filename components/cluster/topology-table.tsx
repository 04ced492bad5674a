"use client";

import { useTranslations } from "next-intl";
import { useShardName } from "@/components/cluster/shard-name";
import { Card } from "@/components/ui/card";
import { useFormat } from "@/components/ui/format";
import { Table } from "@/components/ui/table";
import type { ClusterView, TopologyNode } from "@/lib/cluster";

// Every master with its replicas: where it is, which slots it serves, whether its link is up, the
// failover flags it carries, and how far each replica is behind.

const SHOWN_RANGES = 3;

function SlotRanges({ slots }: { slots: [number, number][] | null }) {
  const t = useTranslations("cluster.topology");
  if (slots === null) return <>{t("allKeys")}</>;
  const shown = slots
    .slice(0, SHOWN_RANGES)
    .map(([start, end]) => (start === end ? `${start}` : `${start}–${end}`));
  return (
    <span className="font-mono text-xs" title={slots.map(([s, e]) => `${s}–${e}`).join(", ")}>
      {shown.join(", ")}
      {slots.length > SHOWN_RANGES && ` ${t("moreRanges", { count: slots.length - SHOWN_RANGES })}`}
    </span>
  );
}

function NodeRow({ node, shard, first }: { node: TopologyNode; shard: string; first: boolean }) {
  const t = useTranslations("cluster.topology");
  const f = useFormat();
  const bad = node.health !== "online" || node.link === "disconnected" || node.flags.length > 0;
  return (
    <tr
      className={`border-t border-slate-100 ${bad ? "bg-red-50" : ""}`}
      data-testid="topology-node"
      data-role={node.role}
      data-address={node.address}
      data-lag={node.lagBytes ?? undefined}
    >
      <td className="py-2 pr-4 font-medium whitespace-nowrap">{first ? shard : ""}</td>
      <td className={`py-2 pr-4 whitespace-nowrap ${node.role === "replica" ? "pl-3 text-slate-600" : ""}`}>
        {t(`roles.${node.role}`)}
      </td>
      <td className="py-2 pr-4 font-mono text-xs whitespace-nowrap" translate="no">
        {node.address}
      </td>
      <td className="py-2 pr-4 whitespace-nowrap" translate="no">
        {node.health}
      </td>
      <td className="py-2 pr-4 whitespace-nowrap">{node.link ? t(`links.${node.link}`) : t("unknown")}</td>
      <td className="py-2 pr-4 font-mono text-xs whitespace-nowrap" translate="no">
        {node.flags.length > 0 ? node.flags.join(", ") : <span translate="yes">{t("noFlags")}</span>}
      </td>
      <td className="py-2 whitespace-nowrap tabular-nums">
        {node.lagBytes === null
          ? t("unknown")
          : node.lagSeconds === null
            ? t("lag", { bytes: f.bytes(node.lagBytes) })
            : t("lagAck", { bytes: f.bytes(node.lagBytes), seconds: f.count(node.lagSeconds) })}
      </td>
    </tr>
  );
}

export function TopologyTable({ view }: { view: ClusterView }) {
  const t = useTranslations("cluster.topology");
  const f = useFormat();
  const shardName = useShardName();
  const columns = (["shard", "role", "address", "health", "link", "flags", "lag"] as const).map((name) => ({
    label: t(`columns.${name}`),
  }));
  return (
    <Card title={t("heading")}>
      <Table columns={columns} caption={t("caption")} className="min-w-[44rem]" testId="cluster-topology">
        {view.shards.map((shard, index) => (
          <tbody key={shard.id} data-testid="topology-shard" data-shard={index}>
            <NodeRow node={shard.master} shard={shardName(index)} first />
            {shard.replicas.map((replica) => (
              <NodeRow key={replica.id} node={replica} shard={shardName(index)} first={false} />
            ))}
            <tr>
              <td />
              <td colSpan={6} className="pb-3 text-xs text-slate-500">
                {shard.slotCount === null
                  ? t.rich("slotsLine", { ranges: () => <SlotRanges slots={shard.slots} /> })
                  : t.rich("slotsLineCount", {
                      ranges: () => <SlotRanges slots={shard.slots} />,
                      count: f.count(shard.slotCount),
                    })}
              </td>
            </tr>
          </tbody>
        ))}
      </Table>
    </Card>
  );
}
