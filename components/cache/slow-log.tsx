"use client";

import { useQuery } from "@tanstack/react-query";
import { api, queryKeys } from "@/components/query/api";
import { fetchJson } from "@/components/query/fetch-json";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { formatCount, formatDuration, formatTime, plural } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import { Table, type Column } from "@/components/ui/table";
import type { SlowLogEntry } from "@/lib/slowlog/parse";
import type { SlowLogNode, SlowLogThresholds } from "@/lib/slowlog/read";

const REFRESH_MS = 10_000;
const LIMIT = 50;

/** µs as a person reads a duration: "850 µs", "12.3 ms", "1.25 s". */
function formatMicros(micros: number): string {
  if (micros < 1_000) return `${formatCount(micros)} µs`;
  if (micros < 1_000_000) {
    const ms = micros / 1_000;
    return `${ms < 100 ? Number(ms.toFixed(1)) : Math.round(ms)} ms`;
  }
  return `${Number((micros / 1_000_000).toFixed(2))} s`;
}

/** What slowlog-log-slower-than and slowlog-max-len mean, in one sentence. */
function thresholdsText({ slowerThanMicros, maxLength }: SlowLogThresholds, cluster: boolean): string {
  if (slowerThanMicros === null && maxLength === null) return "Thresholds: not available (CONFIG refused).";
  const logged =
    slowerThanMicros === null
      ? "The logging threshold is not available (CONFIG refused)"
      : slowerThanMicros < 0
        ? "The slow log is off (slowlog-log-slower-than is -1): nothing is logged"
        : slowerThanMicros === 0
          ? "Every command is logged (slowlog-log-slower-than is 0)"
          : `Commands slower than ${formatMicros(slowerThanMicros)} are logged`;
  const kept =
    maxLength === null
      ? ""
      : `; the last ${formatCount(maxLength)} are kept${cluster ? " on each node" : ""}`;
  return `${logged}${kept}.`;
}

function emptyText(slowerThanMicros: number | null): string {
  if (slowerThanMicros === null) return "No slow command has been logged since the log was last reset.";
  if (slowerThanMicros < 0) return "Nothing is logged while the slow log is off.";
  if (slowerThanMicros === 0) return "No command has been logged since the log was last reset.";
  return `No command has been slower than ${formatMicros(slowerThanMicros)} since the log was last reset.`;
}

function nodeText(node: SlowLogNode): string {
  const config = node.configRefused
    ? "thresholds not available (CONFIG refused)"
    : `slower than ${node.slowerThanMicros === null ? "?" : formatMicros(node.slowerThanMicros)}, keeps ${
        node.maxLength === null ? "?" : formatCount(node.maxLength)
      }`;
  return `${node.node}: ${plural(node.length, "entry", "entries")} kept, ${config}`;
}

/** The newest SLOWLOG entries of the connection (every master of a cluster), refreshed every 10 s. */
export function SlowLog({ connectionId }: { connectionId: string }) {
  const query = useQuery({
    queryKey: queryKeys.cache.slowLog(connectionId, LIMIT),
    queryFn: () => fetchJson(api.slowLog({ conn: connectionId, limit: LIMIT })),
    refetchInterval: REFRESH_MS,
    refetchIntervalInBackground: false,
  });
  const report = query.data;
  const kept = report?.nodes.reduce((sum, node) => sum + node.length, 0) ?? 0;

  return (
    <Card title="Slow log">
      <div className="mb-4 flex flex-wrap items-start justify-between gap-3">
        <div className="flex flex-col gap-1 text-sm text-slate-700">
          {report && (
            <p data-testid="slowlog-thresholds">{thresholdsText(report.thresholds, report.cluster)}</p>
          )}
          {report && (
            <p className="text-xs text-slate-500" data-testid="slowlog-count">
              {formatCount(kept)} {kept === 1 ? "entry" : "entries"} kept
              {report.cluster ? ` over ${report.nodes.length} nodes` : ""}
              {report.entries.length > 0 && kept > report.entries.length
                ? `; the newest ${formatCount(report.entries.length)} are shown`
                : ""}
              {report.thresholds.differ ? ". The nodes are configured differently:" : "."}
            </p>
          )}
          {report && (report.cluster || report.thresholds.differ) && (
            <ul className="font-mono text-xs text-slate-500" data-testid="slowlog-nodes">
              {report.nodes.map((node) => (
                <li key={node.node}>{nodeText(node)}</li>
              ))}
            </ul>
          )}
        </div>
        <Button variant="secondary" onClick={() => void query.refetch()} disabled={query.isFetching}>
          {query.isFetching ? "Reading…" : "Refresh"}
        </Button>
      </div>

      {query.isPending && <p className="text-sm text-slate-500">Reading the slow log…</p>}
      {query.isError && (
        <Notice
          tone={report ? "warning" : "error"}
          title={report ? "The slow log could not be refreshed" : "The slow log cannot be read"}
        >
          {query.error.message} The console tries again every {REFRESH_MS / 1_000} s; Refresh tries now.
          {report && ` The entries below are from ${formatTime(query.dataUpdatedAt)}.`}
        </Notice>
      )}
      {report && report.entries.length === 0 && (
        <p className="text-sm text-slate-500" data-testid="slowlog-empty">
          {emptyText(report.thresholds.slowerThanMicros)}
        </p>
      )}
      {report && report.entries.length > 0 && (
        <SlowLogTable entries={report.entries} cluster={report.cluster} readAt={query.dataUpdatedAt} />
      )}
      <p className="mt-3 text-xs text-slate-500">
        Redis keeps at most 32 arguments of a command and 128 bytes of each; here at most 8 arguments and 64
        characters of each are shown. Point at a command to see all that Redis kept.
      </p>
    </Card>
  );
}

const COLUMNS: Column[] = [
  { label: "When" },
  { label: "Duration", align: "right" },
  { label: "Command" },
  { label: "Client" },
];

function SlowLogTable({
  entries,
  cluster,
  readAt,
}: {
  entries: SlowLogEntry[];
  cluster: boolean;
  /** When the entries were read (ms), for "… ago" without a clock in render. */
  readAt: number;
}) {
  return (
    <Table
      columns={cluster ? [...COLUMNS, { label: "Node" }] : COLUMNS}
      head="ruled"
      label="Slow log"
      className="min-w-[44rem]"
    >
      <tbody className="divide-y divide-slate-100">
        {entries.map((entry) => (
          <SlowLogRow key={`${entry.node}#${entry.id}`} entry={entry} cluster={cluster} readAt={readAt} />
        ))}
      </tbody>
    </Table>
  );
}

function SlowLogRow({ entry, cluster, readAt }: { entry: SlowLogEntry; cluster: boolean; readAt: number }) {
  const age = Math.max(0, readAt / 1_000 - entry.timestamp);
  const absolute = formatTime(entry.timestamp * 1_000);
  return (
    <tr data-testid="slowlog-row" data-id={entry.id} data-node={entry.node} className="align-top">
      <td className="py-2 pr-4 whitespace-nowrap">
        <time dateTime={new Date(entry.timestamp * 1_000).toISOString()} title={absolute}>
          {age < 5 ? "just now" : `${formatDuration(age)} ago`}
        </time>
        <div className="text-xs text-slate-500 tabular-nums">{absolute}</div>
      </td>
      <td className="py-2 pr-4 text-right whitespace-nowrap tabular-nums" data-testid="slowlog-duration">
        {formatMicros(entry.durationMicros)}
      </td>
      <td
        className="py-2 pr-4 font-mono text-xs break-all"
        title={entry.fullText}
        data-testid="slowlog-command"
      >
        {entry.args.map((arg) => arg.text).join(" ")}
        {entry.hiddenArgs > 0 && (
          <span className="text-slate-500"> … (+{formatCount(entry.hiddenArgs)} more)</span>
        )}
      </td>
      <td className="py-2 pr-4 text-xs">
        <div className="font-mono">{entry.clientAddress ?? "—"}</div>
        {entry.clientName && <div className="text-slate-500">{entry.clientName}</div>}
      </td>
      {cluster && <td className="py-2 font-mono text-xs whitespace-nowrap">{entry.node}</td>}
    </tr>
  );
}
