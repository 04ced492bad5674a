"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/components/query/fetch-json";
import { api, queryKeys } from "@/components/query/api";
import { MetricsCharts } from "@/components/metrics/metrics-charts";
import { Card } from "@/components/ui/card";
import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { useFormat } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import { Table } from "@/components/ui/table";

const REFRESH_MS = 5_000;

function Stat({
  label,
  value,
  hint,
  testId,
}: {
  label: string;
  value: string;
  hint?: ReactNode;
  testId: string;
}) {
  return (
    <div className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      <p className="text-xs font-medium tracking-wide text-slate-500 uppercase">{label}</p>
      <p className="mt-1 text-2xl font-semibold text-slate-900 tabular-nums" data-testid={testId}>
        {value}
      </p>
      {hint && <p className="mt-1 text-xs text-slate-500">{hint}</p>}
    </div>
  );
}

function MemoryBar({ used, max }: { used: number; max: number }) {
  if (max <= 0) return null;
  const share = Math.min(used / max, 1);
  const tone = share > 0.9 ? "bg-red-500" : share > 0.75 ? "bg-amber-500" : "bg-emerald-500";
  return (
    <div className="mt-2 h-1.5 w-full rounded-full bg-slate-100" aria-hidden>
      <div className={`h-1.5 rounded-full ${tone}`} style={{ width: `${(share * 100).toFixed(1)}%` }} />
    </div>
  );
}

export function OverviewPanel({
  connectionId,
  connectionName,
}: {
  connectionId: string;
  connectionName: string;
}) {
  const { data, error, isPending, dataUpdatedAt } = useQuery({
    queryKey: queryKeys.overview(connectionId),
    queryFn: () => fetchJson(api.overview(connectionId)),
    refetchInterval: REFRESH_MS,
    refetchIntervalInBackground: false,
  });

  const t = useTranslations("overview");
  const f = useFormat();
  const data_ = (chunks: ReactNode) => <span translate="no">{chunks}</span>;

  if (isPending)
    return (
      <p className="text-sm text-slate-500">{t.rich("reading", { name: connectionName, data: data_ })}</p>
    );

  // The title is written here rather than through Notice's `title`, so the connection's name can be
  // marked as data (translate="no").
  const problem = error && (
    <Notice tone={data ? "warning" : "error"}>
      <p className="font-semibold">{t.rich("notAnswering", { name: connectionName, data: data_ })}</p>
      <p className="mt-1">
        {error.message}{" "}
        {data
          ? t("retryingStale", { seconds: REFRESH_MS / 1000, time: f.time(dataUpdatedAt) })
          : t("retrying", { seconds: REFRESH_MS / 1000 })}
      </p>
    </Notice>
  );
  if (!data) return problem;

  const totalKeys = data.keyspace.reduce((sum, db) => sum + db.keys, 0);
  return (
    <div className="flex flex-col gap-6">
      {problem}
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <Stat
          label={t("version")}
          value={data.version}
          hint={t("role", { role: data.role || "unknown" })}
          testId="stat-version"
        />
        <Stat
          label={t("mode")}
          value={t("modeName", { mode: data.mode })}
          hint={data.nodes > 1 ? t("nodes", { nodes: f.count(data.nodes) }) : t("oneNode")}
          testId="stat-mode"
        />
        <Stat label={t("uptime")} value={f.duration(data.uptimeSeconds)} testId="stat-uptime" />
        <div className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
          <p className="text-xs font-medium tracking-wide text-slate-500 uppercase">{t("memory")}</p>
          <p className="mt-1 text-2xl font-semibold text-slate-900 tabular-nums" data-testid="stat-memory">
            {f.bytes(data.usedMemoryBytes)}
          </p>
          <p className="mt-1 text-xs text-slate-500" data-testid="stat-maxmemory">
            {data.maxMemoryBytes > 0
              ? t.rich("maxMemory", {
                  max: f.bytes(data.maxMemoryBytes),
                  policy: data.maxMemoryPolicy,
                  code: data_,
                })
              : t.rich("noMaxMemory", { code: data_ })}
          </p>
          <MemoryBar used={data.usedMemoryBytes} max={data.maxMemoryBytes} />
        </div>
        <Stat
          label={t("clients")}
          value={f.count(data.connectedClients)}
          hint={t("blocked", { count: f.count(data.blockedClients) })}
          testId="stat-clients"
        />
        <Stat label={t("ops")} value={f.count(data.opsPerSecond)} hint={t("opsHint")} testId="stat-ops" />
        <Stat
          label={t("hitRatio")}
          value={data.hitRatio === null ? t("noReads") : f.percent(data.hitRatio)}
          hint={t("hitRatioHint", { hits: f.count(data.keyspaceHits), misses: f.count(data.keyspaceMisses) })}
          testId="stat-hit-ratio"
        />
        <Stat label={t("keys")} value={f.count(totalKeys)} hint={t("allDatabases")} testId="stat-keys" />
      </div>
      <MetricsCharts
        connectionId={connectionId}
        title={t("liveCharts")}
        charts={["hitRate", "ops", "memory", "keys", "clients", "network"]}
      />
      <Card title={t("keysPerDatabase")}>
        {data.keyspace.length === 0 ? (
          <p className="text-sm text-slate-500">{t("allEmpty")}</p>
        ) : (
          <Table
            columns={[
              { label: t("database") },
              { label: t("keys"), align: "right" },
              { label: t("withTtl"), align: "right" },
            ]}
            scroll={false}
            testId="keyspace-table"
          >
            <tbody>
              {data.keyspace.map((db) => (
                <tr key={db.db} className="border-t border-slate-100" data-testid={`keyspace-db${db.db}`}>
                  <td className="py-2 font-mono" translate="no">
                    db{db.db}
                  </td>
                  <td className="py-2 text-right tabular-nums">{f.count(db.keys)}</td>
                  <td className="py-2 text-right tabular-nums">{f.count(db.expires)}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
      <p className="text-xs text-slate-500">
        {t.rich("readAt", { time: f.time(data.sampledAt), address: data.connection.address, data: data_ })}
      </p>
    </div>
  );
}
