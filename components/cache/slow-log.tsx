"use client";

import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useTranslations } from "next-intl";
import { api, queryKeys } from "@/components/query/api";
import { fetchJson } from "@/components/query/fetch-json";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { useFormat } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import { Table, type Column } from "@/components/ui/table";
import type { Formatters } from "@/lib/i18n/format";
import type { SlowLogEntry } from "@/lib/slowlog/parse";
import type { SlowLogNode, SlowLogThresholds } from "@/lib/slowlog/read";

const REFRESH_MS = 10_000;
const LIMIT = 50;

/** µs as a person reads a duration: "850 µs", "12.3 ms", "1.25 s". */
function formatMicros(micros: number): string {
  if (micros < 1_000) return `${micros} µs`;
  if (micros < 1_000_000) {
    const ms = micros / 1_000;
    return `${ms < 100 ? Number(ms.toFixed(1)) : Math.round(ms)} ms`;
  }
  return `${Number((micros / 1_000_000).toFixed(2))} s`;
}

type Translate = ReturnType<typeof useTranslations<"slowlog">>;

/** What slowlog-log-slower-than and slowlog-max-len mean, in one sentence. */
function thresholdsText(
  t: Translate,
  f: Formatters,
  { slowerThanMicros, maxLength }: SlowLogThresholds,
  cluster: boolean,
): ReactNode {
  if (slowerThanMicros === null && maxLength === null) return t("thresholds.unavailable");
  const code = (chunks: ReactNode) => <code>{chunks}</code>;
  const logged =
    slowerThanMicros === null
      ? t("thresholds.noThreshold")
      : slowerThanMicros < 0
        ? t.rich("thresholds.off", { code })
        : slowerThanMicros === 0
          ? t.rich("thresholds.every", { code })
          : t("thresholds.slowerThan", { duration: formatMicros(slowerThanMicros) });
  const kept =
    maxLength === null
      ? ""
      : cluster
        ? t("thresholds.keptEachNode", { n: f.count(maxLength) })
        : t("thresholds.kept", { n: f.count(maxLength) });
  return (
    <>
      {logged}
      {kept}
      {t("count.end")}
    </>
  );
}

function emptyText(t: Translate, slowerThanMicros: number | null): string {
  if (slowerThanMicros === null) return t("empty.noSlow");
  if (slowerThanMicros < 0) return t("empty.off");
  if (slowerThanMicros === 0) return t("empty.none");
  return t("empty.slowerThan", { duration: formatMicros(slowerThanMicros) });
}

function nodeText(t: Translate, f: Formatters, node: SlowLogNode): string {
  const config = node.configRefused
    ? t("node.refused")
    : t("node.config", {
        duration: node.slowerThanMicros === null ? "?" : formatMicros(node.slowerThanMicros),
        n: node.maxLength === null ? "?" : f.count(node.maxLength),
      });
  return t("node.text", { node: node.node, count: node.length, config });
}

/** The newest SLOWLOG entries of the connection (every master of a cluster), refreshed every 10 s. */
export function SlowLog({ connectionId }: { connectionId: string }) {
  const t = useTranslations("slowlog");
  const f = useFormat();
  const query = useQuery({
    queryKey: queryKeys.cache.slowLog(connectionId, LIMIT),
    queryFn: () => fetchJson(api.slowLog({ conn: connectionId, limit: LIMIT })),
    refetchInterval: REFRESH_MS,
    refetchIntervalInBackground: false,
  });
  const report = query.data;
  const kept = report?.nodes.reduce((sum, node) => sum + node.length, 0) ?? 0;

  return (
    <Card title={t("title")}>
      <div className="mb-4 flex flex-wrap items-start justify-between gap-3">
        <div className="flex flex-col gap-1 text-sm text-slate-700">
          {report && (
            <p data-testid="slowlog-thresholds">{thresholdsText(t, f, report.thresholds, report.cluster)}</p>
          )}
          {report && (
            <p className="text-xs text-slate-500" data-testid="slowlog-count">
              {t("count.kept", { count: kept, n: f.count(kept) })}
              {report.cluster ? t("count.overNodes", { nodes: report.nodes.length }) : ""}
              {report.entries.length > 0 && kept > report.entries.length
                ? t("count.newestShown", { n: f.count(report.entries.length) })
                : ""}
              {report.thresholds.differ ? t("count.differ") : t("count.end")}
            </p>
          )}
          {report && (report.cluster || report.thresholds.differ) && (
            <ul className="font-mono text-xs text-slate-500" data-testid="slowlog-nodes">
              {report.nodes.map((node) => (
                <li key={node.node}>{nodeText(t, f, node)}</li>
              ))}
            </ul>
          )}
        </div>
        <Button variant="secondary" onClick={() => void query.refetch()} disabled={query.isFetching}>
          {query.isFetching ? t("readingShort") : t("refresh")}
        </Button>
      </div>

      {query.isPending && <p className="text-sm text-slate-500">{t("reading")}</p>}
      {query.isError && (
        <Notice tone={report ? "warning" : "error"} title={report ? t("error.refresh") : t("error.read")}>
          {query.error.message} {t("error.retry", { seconds: REFRESH_MS / 1_000 })}
          {report && t("error.from", { time: f.time(query.dataUpdatedAt) })}
        </Notice>
      )}
      {report && report.entries.length === 0 && (
        <p className="text-sm text-slate-500" data-testid="slowlog-empty">
          {emptyText(t, report.thresholds.slowerThanMicros)}
        </p>
      )}
      {report && report.entries.length > 0 && (
        <SlowLogTable entries={report.entries} cluster={report.cluster} readAt={query.dataUpdatedAt} />
      )}
      <p className="mt-3 text-xs text-slate-500">{t("argsNote")}</p>
    </Card>
  );
}

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
  const t = useTranslations("slowlog");
  const columns: Column[] = [
    { label: t("columns.when") },
    { label: t("columns.duration"), align: "right" },
    { label: t("columns.command") },
    { label: t("columns.client") },
  ];
  return (
    <Table
      columns={cluster ? [...columns, { label: t("columns.node") }] : columns}
      head="ruled"
      label={t("title")}
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
  const t = useTranslations("slowlog");
  const f = useFormat();
  const age = Math.max(0, readAt / 1_000 - entry.timestamp);
  const absolute = f.time(entry.timestamp * 1_000);
  return (
    <tr data-testid="slowlog-row" data-id={entry.id} data-node={entry.node} className="align-top">
      <td className="py-2 pr-4 whitespace-nowrap">
        <time dateTime={new Date(entry.timestamp * 1_000).toISOString()} title={absolute}>
          {age < 5 ? t("justNow") : t("ago", { duration: f.duration(age) })}
        </time>
        <div className="text-xs text-slate-500 tabular-nums">{absolute}</div>
      </td>
      <td className="py-2 pr-4 text-right whitespace-nowrap tabular-nums" data-testid="slowlog-duration">
        {formatMicros(entry.durationMicros)}
      </td>
      <td
        className="py-2 pr-4 font-mono text-xs break-all"
        title={entry.fullText}
        translate="no"
        data-testid="slowlog-command"
      >
        {entry.args.map((arg) => arg.text).join(" ")}
        {entry.hiddenArgs > 0 && (
          <span className="text-slate-500" translate="yes">
            {t("moreArgs", { n: f.count(entry.hiddenArgs) })}
          </span>
        )}
      </td>
      <td className="py-2 pr-4 text-xs" translate="no">
        <div className="font-mono">{entry.clientAddress ?? "—"}</div>
        {entry.clientName && <div className="text-slate-500">{entry.clientName}</div>}
      </td>
      {cluster && (
        <td translate="no" className="py-2 font-mono text-xs whitespace-nowrap">
          {entry.node}
        </td>
      )}
    </tr>
  );
}
