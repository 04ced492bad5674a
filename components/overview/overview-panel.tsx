"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/components/query/fetch-json";
import { api, queryKeys } from "@/components/query/api";
import { MetricsCharts } from "@/components/metrics/metrics-charts";
import { Card } from "@/components/ui/card";
import { formatBytes, formatCount, formatDuration, formatPercent, formatTime } from "@/components/ui/format";
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
  hint?: string;
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

  if (isPending) return <p className="text-sm text-slate-500">Reading INFO from {connectionName}…</p>;

  const problem = error && (
    <Notice tone={data ? "warning" : "error"} title={`Connection “${connectionName}” is not answering`}>
      {error.message} Retrying every {REFRESH_MS / 1000} s
      {data ? `; the figures below are from ${formatTime(dataUpdatedAt)}.` : "."}
    </Notice>
  );
  if (!data) return problem;

  const totalKeys = data.keyspace.reduce((sum, db) => sum + db.keys, 0);
  return (
    <div className="flex flex-col gap-6">
      {problem}
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <Stat
          label="Redis version"
          value={data.version}
          hint={`role ${data.role || "unknown"}`}
          testId="stat-version"
        />
        <Stat
          label="Mode"
          value={data.mode}
          hint={data.nodes > 1 ? `${data.nodes} data nodes, figures summed` : "one data node"}
          testId="stat-mode"
        />
        <Stat label="Uptime" value={formatDuration(data.uptimeSeconds)} testId="stat-uptime" />
        <div className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
          <p className="text-xs font-medium tracking-wide text-slate-500 uppercase">Memory</p>
          <p className="mt-1 text-2xl font-semibold text-slate-900 tabular-nums" data-testid="stat-memory">
            {formatBytes(data.usedMemoryBytes)}
          </p>
          <p className="mt-1 text-xs text-slate-500" data-testid="stat-maxmemory">
            {data.maxMemoryBytes > 0
              ? `of ${formatBytes(data.maxMemoryBytes)} max (${data.maxMemoryPolicy})`
              : "no maxmemory set"}
          </p>
          <MemoryBar used={data.usedMemoryBytes} max={data.maxMemoryBytes} />
        </div>
        <Stat
          label="Connected clients"
          value={formatCount(data.connectedClients)}
          hint={`${formatCount(data.blockedClients)} blocked`}
          testId="stat-clients"
        />
        <Stat
          label="Operations / s"
          value={formatCount(data.opsPerSecond)}
          hint="instantaneous, all nodes"
          testId="stat-ops"
        />
        <Stat
          label="Hit ratio"
          value={formatPercent(data.hitRatio)}
          hint={`since server start: ${formatCount(data.keyspaceHits)} hits, ${formatCount(data.keyspaceMisses)} misses`}
          testId="stat-hit-ratio"
        />
        <Stat label="Keys" value={formatCount(totalKeys)} hint="all databases" testId="stat-keys" />
      </div>
      <MetricsCharts
        connectionId={connectionId}
        title="Live charts"
        charts={["hitRate", "ops", "memory", "keys", "clients", "network"]}
      />
      <Card title="Keys per database">
        {data.keyspace.length === 0 ? (
          <p className="text-sm text-slate-500">Every database is empty.</p>
        ) : (
          <Table
            columns={[
              { label: "Database" },
              { label: "Keys", align: "right" },
              { label: "With TTL", align: "right" },
            ]}
            scroll={false}
            testId="keyspace-table"
          >
            <tbody>
              {data.keyspace.map((db) => (
                <tr key={db.db} className="border-t border-slate-100" data-testid={`keyspace-db${db.db}`}>
                  <td className="py-2 font-mono">db{db.db}</td>
                  <td className="py-2 text-right tabular-nums">{formatCount(db.keys)}</td>
                  <td className="py-2 text-right tabular-nums">{formatCount(db.expires)}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
      <p className="text-xs text-slate-500">
        Read at {formatTime(data.sampledAt)} from {data.connection.address}. The hit ratio above counts since
        the server started; the chart shows it over the window you choose.
      </p>
    </div>
  );
}
