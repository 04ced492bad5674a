"use client";

import { useCallback, useEffect, useMemo, useState, type ReactNode } from "react";
import { useTranslations } from "next-intl";
import type { FeedEvent } from "@/components/live/live-connection";
import { useFeedQuery, type FeedUpdate } from "@/components/live/use-feed-query";
import { api, queryKeys } from "@/components/query/api";
import { fetchJson } from "@/components/query/fetch-json";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { useFormat } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import { Table, type Column } from "@/components/ui/table";
import type { Formatters } from "@/lib/i18n/format";
import { SLOWLOG_CHECK_MS, type WatchTarget } from "@/lib/live/protocol";
import type { SlowLogEntry } from "@/lib/slowlog/parse";
import type { SlowLogNode, SlowLogReport, SlowLogThresholds } from "@/lib/slowlog/read";

/** How often the page reads the route while the live stream is down. */
const REFRESH_MS = 10_000;
const LIMIT = 50;
/** How often "… ago" moves on: the feed pushes only when the log changed. */
const CLOCK_MS = 10_000;

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

/** The time, moved on every `everyMs`, for ages shown without a clock in render. */
function useClock(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/**
 * The newest SLOWLOG entries of the connection (every master of a cluster), pushed over the tab's
 * live stream when one is logged (lib/slowlog/feed.ts: one reader per connection).
 */
export function SlowLog({ connectionId }: { connectionId: string }) {
  const t = useTranslations("slowlog");
  const f = useFormat();
  const target = useMemo<WatchTarget>(() => ({ kind: "slowlog", name: String(LIMIT) }), []);
  const select = useCallback(
    (event: FeedEvent): FeedUpdate<SlowLogReport> | undefined =>
      event.type === "slowlog" && event.data.connectionId === connectionId && event.data.limit === LIMIT
        ? { data: event.data.report, error: event.data.error }
        : undefined,
    [connectionId],
  );
  const query = useFeedQuery({
    connectionId,
    target,
    queryKey: queryKeys.cache.slowLog(connectionId, LIMIT),
    queryFn: () => fetchJson(api.slowLog({ conn: connectionId, limit: LIMIT })),
    select,
    fallbackMs: REFRESH_MS,
  });
  const clock = useClock(CLOCK_MS);
  const report = query.data;
  const retrySeconds = (query.streaming ? SLOWLOG_CHECK_MS : REFRESH_MS) / 1_000;
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
        <Button variant="secondary" onClick={query.refetch} disabled={query.isFetching}>
          {query.isFetching ? t("readingShort") : t("refresh")}
        </Button>
      </div>

      {query.isPending && <p className="text-sm text-slate-500">{t("reading")}</p>}
      {query.error && (
        <Notice tone={report ? "warning" : "error"} title={report ? t("error.refresh") : t("error.read")}>
          {query.error.message} {t("error.retry", { seconds: retrySeconds })}
          {report && t("error.from", { time: f.time(query.updatedAt) })}
        </Notice>
      )}
      {report && report.entries.length === 0 && (
        <p className="text-sm text-slate-500" data-testid="slowlog-empty">
          {emptyText(t, report.thresholds.slowerThanMicros)}
        </p>
      )}
      {report && report.entries.length > 0 && (
        <SlowLogTable
          entries={report.entries}
          cluster={report.cluster}
          readAt={Math.max(clock, query.updatedAt)}
        />
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
