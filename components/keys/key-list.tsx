"use client";

import { useAutoScan } from "@/components/query/use-auto-scan";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useMemo, type ReactNode } from "react";
import { KeyRowCard, KeyTable } from "@/components/keys/key-table";
import { useTypeLabel } from "@/components/keys/key-type-badge";
import { ScanProgress } from "@/components/keys/scan-progress";
import { useKeyStream } from "@/components/keys/use-key-stream";
import { api, queryKeys } from "@/components/query/api";
import { fetchJson } from "@/components/query/fetch-json";
import { Button } from "@/components/ui/button";
import { useFormat } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import type { KeyListPage, KeyRow } from "@/lib/keys/list";
import { KEY_LIST_PAGE } from "@/lib/validation/key-list-page";

/** Automatic continuation: until this many keys are shown, and at most this many requests. */
const AUTO_SCAN_UNTIL = 50;
const AUTO_SCAN_PAGES = 5;

/** Rows of every loaded page, each key once (SCAN may return a key twice), by name. */
function mergeRows(pages: KeyListPage[]): KeyRow[] {
  const byRef = new Map<string, KeyRow>();
  for (const row of pages.flatMap((page) => page.rows)) byRef.set(row.ref, row);
  return [...byRef.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export function KeyList({
  connectionId,
  pattern,
  type,
  includeConsoleState,
  initialPage,
  onSearch,
}: {
  connectionId: string;
  /** As typed; "" lists every key. */
  pattern: string;
  /** "" for any type. */
  type: string;
  includeConsoleState: boolean;
  /**
   * This search's first page as the server read it while rendering: the rows come with the HTML,
   * and the browser does not ask again until it is stale (the provider's staleTime from hydration).
   */
  initialPage: KeyListPage | null;
  /** Runs another search, e.g. "keys containing" after an exact name matched nothing. */
  onSearch: (pattern: string) => void;
}) {
  const t = useTranslations("keys.list");
  const f = useFormat();
  const typeLabel = useTypeLabel();
  const query = useInfiniteQuery({
    queryKey: queryKeys.keys.list(connectionId, pattern, type, includeConsoleState),
    queryFn: ({ pageParam }) => {
      return fetchJson(
        api.keys({
          conn: connectionId,
          limit: KEY_LIST_PAGE,
          pattern,
          type,
          cursor: pageParam,
          includeConsoleState,
        }),
      );
    },
    initialPageParam: "",
    getNextPageParam: (last) => last.cursor || undefined,
    initialData: initialPage ? { pages: [initialPage], pageParams: [""] } : undefined,
  });
  // "Continue" streams (use-key-stream): its pages follow the ones fetched here.
  const stream = useKeyStream({ conn: connectionId, pattern, type, includeConsoleState });
  const pages = useMemo(() => [...(query.data?.pages ?? []), ...stream.pages], [query.data, stream.pages]);
  const rows = useMemo(() => mergeRows(pages), [pages]);
  const first = pages[0];
  const last = pages[pages.length - 1];
  const examined = pages.reduce((sum, page) => sum + page.examined, 0);

  const { isFetchingNextPage } = query;
  const streamed = stream.streaming || stream.pages.length > 0;
  const hasNextPage = streamed ? Boolean(last?.cursor) : query.hasNextPage;
  useAutoScan({ ...query, hasNextPage: hasNextPage && !streamed }, rows.length, pages.length, {
    until: AUTO_SCAN_UNTIL,
    maxPages: AUTO_SCAN_PAGES,
  });

  const ofType = type ? t("ofType", { type: typeLabel(type) }) : "";
  const data = (chunks: ReactNode) => <span translate="no">{chunks}</span>;

  if (query.isPending) return <p className="text-sm text-slate-500">{t("scanning")}</p>;
  if (query.isError && !first) {
    return (
      <Notice tone="error" title={t("cannotList")}>
        {query.error.message}
      </Notice>
    );
  }
  if (!first || !last) return null;

  if (first.exactLookup) {
    const containing = (
      <Button variant="secondary" onClick={() => onSearch(`*${pattern}*`)}>
        {/* One flex item, so the name reads as one run of text (a span per part would be spaced). */}
        <span>{t.rich("containing", { pattern, data })}</span>
      </Button>
    );
    return (
      <div className="flex flex-col gap-3">
        <p className="text-sm text-slate-600" data-testid="key-count">
          {first.exact
            ? t.rich("exactMatch", { pattern, data })
            : t.rich("noKeyNamed", { pattern, ofType, data })}
        </p>
        {first.exact && <KeyRowCard row={first.exact} />}
        <div>{containing}</div>
      </div>
    );
  }

  return (
    <div className="flex flex-col gap-3">
      <p className="text-sm text-slate-600" data-testid="key-count">
        {t.rich("found", {
          count: rows.length,
          n: f.count(rows.length),
          pattern,
          matching: pattern ? "yes" : "no",
          ofType,
          soFar: hasNextPage ? "yes" : "no",
          byName: rows.length > 1 ? "yes" : "no",
          data,
        })}
      </p>
      {(query.isError || stream.error) && (
        <Notice tone="error" title={t("scanStopped")}>
          {stream.error ?? query.error?.message}
        </Notice>
      )}
      <KeyTable
        label={t("label")}
        rows={rows}
        empty={
          hasNextPage
            ? t("emptySoFar")
            : pattern
              ? t.rich("emptyPattern", { pattern, ofType, data })
              : t("empty", { ofType })
        }
      />
      <ScanProgress
        examined={examined}
        dbSize={last.dbSize}
        hasMore={Boolean(hasNextPage)}
        fetching={isFetchingNextPage}
        onContinue={() => void stream.start(last.cursor, last.dbSize)}
        streaming={stream.streaming}
        onStop={stream.stop}
      />
    </div>
  );
}
