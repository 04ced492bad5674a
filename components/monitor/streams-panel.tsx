"use client";

import { useAutoScan } from "@/components/query/use-auto-scan";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useDeferredValue, useMemo, useState } from "react";
import { StreamEntries } from "@/components/monitor/stream-entries";
import { StreamGroups } from "@/components/monitor/stream-groups";
import { StreamTail } from "@/components/monitor/stream-tail";
import { api, queryKeys } from "@/components/query/api";
import { fetchJson } from "@/components/query/fetch-json";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { useFormat } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import { SearchInput } from "@/components/ui/search-input";
import type { StreamRow } from "@/lib/streams/list";

/** Keep scanning on our own until this many streams show, for at most this many requests. */
const AUTO_SCAN_UNTIL = 25;
const AUTO_SCAN_PAGES = 10;

function StreamList({
  connectionId,
  selected,
  onSelect,
}: {
  connectionId: string;
  selected: string | null;
  onSelect: (row: StreamRow) => void;
}) {
  const t = useTranslations("monitor.streams");
  const f = useFormat();
  const [search, setSearch] = useState("");
  const deferredSearch = useDeferredValue(search.trim());
  const query = useInfiniteQuery({
    queryKey: queryKeys.monitor.streams(connectionId, deferredSearch),
    queryFn: ({ pageParam }) => {
      return fetchJson(api.streams({ conn: connectionId, cursor: pageParam, search: deferredSearch }));
    },
    initialPageParam: "",
    getNextPageParam: (last) => last.cursor || undefined,
  });
  const pages = useMemo(() => query.data?.pages ?? [], [query.data]);
  const rows = useMemo(() => {
    const seen = new Set<string>();
    return pages.flatMap((page) => page.rows).filter((row) => !seen.has(row.ref) && seen.add(row.ref));
  }, [pages]);
  const last = pages[pages.length - 1];
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  useAutoScan(query, rows.length, pages.length, { until: AUTO_SCAN_UNTIL, maxPages: AUTO_SCAN_PAGES });

  return (
    <div className="flex flex-col gap-3">
      <SearchInput
        label={t("search")}
        value={search}
        onChange={setSearch}
        placeholder={t("searchPlaceholder")}
      />
      {query.isError && !query.data && (
        <Notice tone="error" title={t("cannotList")}>
          {query.error.message}
        </Notice>
      )}
      {query.isPending && <p className="text-sm text-slate-500">{t("scanning")}</p>}
      {query.data && rows.length === 0 && !hasNextPage && (
        <p className="text-sm text-slate-500">
          {deferredSearch
            ? t.rich("noneMatching", {
                search: deferredSearch,
                data: (chunks) => <span translate="no">{chunks}</span>,
              })
            : t("none")}
        </p>
      )}
      {rows.length > 0 && (
        <ul className="max-h-[28rem] divide-y divide-slate-100 overflow-auto rounded-lg border border-slate-200">
          {rows.map((row) => (
            <li key={row.ref} data-testid="stream-row" data-key={row.key}>
              <button
                type="button"
                onClick={() => onSelect(row)}
                aria-pressed={row.ref === selected}
                className={`flex w-full flex-col gap-0.5 px-3 py-2 text-left text-sm ${
                  row.ref === selected ? "bg-sky-50" : "hover:bg-slate-50"
                }`}
              >
                <span className="truncate font-mono text-slate-900" translate="no">
                  {row.key}
                </span>
                <span className="text-xs text-slate-500 tabular-nums">
                  {t("rowCounts", {
                    entries: row.length,
                    entriesText: f.count(row.length),
                    groups: row.groups,
                    groupsText: f.count(row.groups),
                  })}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {query.data && (
        <div className="flex flex-wrap items-center justify-between gap-2 text-xs text-slate-500">
          <span data-testid="stream-scan-progress">
            {hasNextPage
              ? t("scannedAbout", {
                  examined: f.count(pages.reduce((sum, p) => sum + p.examined, 0)),
                  total: f.count(last?.dbSize ?? 0),
                })
              : t("scannedAll", { total: f.count(last?.dbSize ?? 0) })}
          </span>
          {hasNextPage && (
            <Button variant="secondary" onClick={() => fetchNextPage()} disabled={isFetchingNextPage}>
              {isFetchingNextPage ? t("scanningMore") : t("continue")}
            </Button>
          )}
        </div>
      )}
    </div>
  );
}

/** Streams: find one, follow it live, page through its entries, and look after its consumer groups. */
export function StreamsPanel({
  connectionId,
  canManage,
  readOnlyReason,
}: {
  connectionId: string;
  canManage: boolean;
  readOnlyReason: string;
}) {
  const t = useTranslations("monitor.streams");
  const f = useFormat();
  const [stream, setStream] = useState<StreamRow | null>(null);
  return (
    <div className="grid items-start gap-5 xl:grid-cols-[20rem_minmax(0,1fr)]">
      <Card title={t("title")}>
        <StreamList connectionId={connectionId} selected={stream?.ref ?? null} onSelect={setStream} />
      </Card>
      {stream ? (
        <div className="flex min-w-0 flex-col gap-5" key={stream.ref}>
          <div>
            <h2
              className="font-mono text-lg font-semibold break-all text-slate-900"
              data-testid="stream-title"
              translate="no"
            >
              {stream.key}
            </h2>
            <p className="text-sm text-slate-600">
              {stream.firstEntryId && stream.lastEntryId
                ? t.rich("summaryRange", {
                    count: stream.length,
                    n: f.count(stream.length),
                    first: stream.firstEntryId,
                    last: stream.lastEntryId,
                    id: (chunks) => <span translate="no">{chunks}</span>,
                  })
                : t("summary", { count: stream.length, n: f.count(stream.length) })}
            </p>
          </div>
          <Card title={t("liveTail")}>
            <StreamTail connectionId={connectionId} streamKey={stream.key} />
          </Card>
          {/* Groups before the entries: the entries page through, the groups are what is looked after. */}
          <Card title={t("groups")}>
            <StreamGroups
              connectionId={connectionId}
              streamRef={stream.ref}
              canManage={canManage}
              readOnlyReason={readOnlyReason}
            />
          </Card>
          <Card title={t("entries")}>
            <StreamEntries connectionId={connectionId} streamRef={stream.ref} />
          </Card>
        </div>
      ) : (
        <Card>
          <p className="text-sm text-slate-500" data-testid="stream-none">
            {t("pick")}
          </p>
        </Card>
      )}
    </div>
  );
}
