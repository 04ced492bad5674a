"use client";

import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useTranslations } from "next-intl";
import { useDeferredValue, useEffect, useId, useMemo, useRef, useState, type ReactNode } from "react";
import type { EditorMode } from "@/components/models/editor-mode";
import { FieldEditor } from "@/components/models/field-editor";
import { api, queryKeys } from "@/components/query/api";
import { fetchJson } from "@/components/query/fetch-json";
import { Button } from "@/components/ui/button";
import { useFormat } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import { SearchInput } from "@/components/ui/search-input";
import { KindBadge, ValueDisplay } from "@/components/values/value-view";
import type { ModelField } from "@/lib/models/types";
import { ScrollFrame } from "@/components/ui/scroll-frame";

const PAGE_SIZE = 200;
/** A filtered read goes on by itself to the end of the hash, in bigger steps (Redis filters them). */
const FILTERED_PAGE_SIZE = 1_000;
/** …unless it has found this many matches: the rest load as the reader scrolls. */
const FILTERED_AUTO_LIMIT = 5_000;
const ROW_HEIGHT = 48;
const COLUMNS = "grid-cols-[minmax(12rem,2fr)_6rem_minmax(16rem,4fr)_13rem]";

type SortOrder = "scan" | "name" | "value";

const ROW_ACTIONS = ["edit", "rename", "delete"] as const;

/** A field name or pattern inside a sentence: Redis data, never translated. */
const data = (chunks: ReactNode) => <span translate="no">{chunks}</span>;

function sortRows(rows: ModelField[], order: SortOrder): ModelField[] {
  if (order === "scan") return rows;
  const sorted = [...rows];
  if (order === "name") sorted.sort((a, b) => a.name.localeCompare(b.name, "en", { numeric: true }));
  else {
    // Numbers by value first, then everything else by its text.
    sorted.sort((a, b) => {
      const [x, y] = [a.value.number, b.value.number];
      if (x !== undefined && y !== undefined) return x - y;
      if (x !== undefined) return -1;
      if (y !== undefined) return 1;
      return a.value.display.localeCompare(b.value.display);
    });
  }
  return sorted;
}

/** Fetches the field pages of a model; shared by the table and the chart tab. */
export function useFieldPages(connectionId: string, keyRef: string, match: string) {
  return useInfiniteQuery({
    queryKey: queryKeys.models.fields(connectionId, keyRef, match),
    queryFn: ({ pageParam }) => {
      const count = match ? FILTERED_PAGE_SIZE : PAGE_SIZE;
      return fetchJson(api.modelFields(keyRef, { conn: connectionId, cursor: pageParam, count, match }));
    },
    initialPageParam: "0",
    getNextPageParam: (last) => (last.cursor === "0" ? undefined : last.cursor),
  });
}

export function ParamTable({
  connectionId,
  keyRef,
  canEdit,
  readOnlyReason,
}: {
  connectionId: string;
  keyRef: string;
  canEdit: boolean;
  readOnlyReason: string;
}) {
  const t = useTranslations("models.table");
  const f = useFormat();
  const ids = useId();
  const queryClient = useQueryClient();
  const [filter, setFilter] = useState("");
  const match = useDeferredValue(filter.trim());
  const [order, setOrder] = useState<SortOrder>("scan");
  const [editor, setEditor] = useState<EditorMode | null>(null);
  const [note, setNote] = useState<ReactNode>(null);
  const query = useFieldPages(connectionId, keyRef, match);

  const loaded = useMemo(() => {
    const seen = new Set<string>();
    const rows: ModelField[] = [];
    for (const field of query.data?.pages.flatMap((page) => page.fields) ?? []) {
      if (!seen.has(field.ref)) rows.push(field); // HSCAN may return a field twice
      seen.add(field.ref);
    }
    return rows;
  }, [query.data]);
  const rows = useMemo(() => sortRows(loaded, order), [loaded, order]);
  const total = query.data?.pages[0]?.total ?? 0;
  const pages = query.data?.pages;
  const scanned = pages?.[pages.length - 1]?.scanned ?? 0;

  const scroller = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render by design
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? 0;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  // A filter scans on to the end by itself, so "no match" is only said once it is true.
  const searching = Boolean(match) && hasNextPage && loaded.length < FILTERED_AUTO_LIMIT;
  useEffect(() => {
    // Load the next HSCAN page as the reader nears the end of what is loaded.
    const nearEnd = lastIndex >= rows.length - 20;
    if (hasNextPage && !isFetchingNextPage && !query.isError && (nearEnd || searching)) void fetchNextPage();
  }, [lastIndex, rows.length, hasNextPage, isFetchingNextPage, fetchNextPage, searching, query.isError]);

  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: queryKeys.models.model(connectionId, keyRef) });
  const editTitle = canEdit ? undefined : readOnlyReason;

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-end gap-3">
        <SearchInput
          label={t("filter")}
          value={filter}
          onChange={setFilter}
          placeholder="w_000*"
          mono
          inputClassName="w-64"
        />
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          {t("sort")}
          <select
            value={order}
            onChange={(event) => setOrder(event.target.value as SortOrder)}
            className="rounded-lg border border-slate-300 bg-white px-3 py-2 font-normal"
          >
            <option value="scan">{t("order.scan")}</option>
            <option value="name">{t("order.name")}</option>
            <option value="value">{t("order.value")}</option>
          </select>
        </label>
        <div className="ml-auto flex gap-2">
          <Button onClick={() => setEditor({ mode: "add" })} disabled={!canEdit} title={editTitle}>
            {t("add")}
          </Button>
        </div>
      </div>
      {query.isError && !query.data && (
        <Notice tone="error" title={t("readError")}>
          {query.error.message}
        </Notice>
      )}
      <p className="text-sm text-slate-600" data-testid="fields-progress" aria-live="polite">
        {query.isPending
          ? match
            ? t.rich("progress.searchingStart", { match, data })
            : t("progress.reading")
          : match && hasNextPage && searching
            ? t.rich("progress.searching", {
                scanned: f.count(scanned),
                total: f.count(total),
                matched: loaded.length,
                match,
                data,
              })
            : match
              ? t.rich(hasNextPage ? "progress.matchedSome" : "progress.matchedAll", {
                  scanned: f.count(scanned),
                  total: f.count(total),
                  matched: loaded.length,
                  match,
                  data,
                })
              : t("progress.loaded", {
                  loaded: f.count(loaded.length),
                  total: f.count(total),
                  more: hasNextPage ? "yes" : "no",
                  sorted: order !== "scan" && hasNextPage ? "yes" : "no",
                })}
      </p>
      {note && (
        <p role="status" className="text-sm text-slate-700" data-testid="param-note">
          {note}
        </p>
      )}
      <ScrollFrame
        role="table"
        aria-label={t("table")}
        aria-rowcount={rows.length + 1}
        className="relative rounded-xl border border-slate-200 bg-white shadow-sm"
      >
        <div className="min-w-[44rem]">
          <div role="rowgroup">
            <div
              role="row"
              className={`grid ${COLUMNS} border-b border-slate-200 bg-slate-50 px-4 py-2 text-xs font-medium tracking-wide text-slate-500 uppercase`}
            >
              <span role="columnheader">{t("columns.field")}</span>
              <span role="columnheader">{t("columns.kind")}</span>
              <span role="columnheader">{t("columns.value")}</span>
              <span role="columnheader" className="text-right">
                {t("columns.actions")}
              </span>
            </div>
          </div>
          <div
            ref={scroller}
            role="rowgroup"
            className="h-[32rem] overflow-auto"
            data-testid="param-scroller"
          >
            <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
              {items.map((item) => {
                const field = rows[item.index]!;
                const rowId = `${ids}-${item.index}`;
                return (
                  <div
                    key={field.ref}
                    role="row"
                    aria-rowindex={item.index + 2}
                    data-testid="param-row"
                    data-field={field.name}
                    className={`absolute inset-x-0 grid ${COLUMNS} items-center border-b border-slate-100 px-4 text-sm hover:bg-slate-50`}
                    style={{ height: item.size, transform: `translateY(${item.start}px)` }}
                  >
                    <span
                      role="rowheader"
                      id={`${rowId}-name`}
                      className="truncate font-mono"
                      title={field.name}
                      translate="no"
                    >
                      {field.name}
                    </span>
                    <span role="cell">
                      <KindBadge kind={field.value.kind} />
                    </span>
                    <span role="cell" className="min-w-0 truncate" data-testid="param-value">
                      <ValueDisplay value={field.value} compact />
                    </span>
                    <span role="cell" className="flex justify-end gap-1">
                      {ROW_ACTIONS.map((mode) => (
                        <button
                          key={mode}
                          id={`${rowId}-${mode}`}
                          type="button"
                          disabled={!canEdit}
                          title={editTitle}
                          // "Edit coefficient": the action's word, then the field's name as data.
                          aria-labelledby={`${rowId}-${mode} ${rowId}-name`}
                          onClick={() => setEditor({ mode, field })}
                          className="text-brand-700 hover:bg-brand-50 rounded px-2 py-1 text-xs font-medium disabled:cursor-not-allowed disabled:text-slate-400 disabled:hover:bg-transparent"
                        >
                          {t(`actions.${mode}`)}
                        </button>
                      ))}
                    </span>
                  </div>
                );
              })}
            </div>
            {query.data && rows.length === 0 && (
              <p className="p-6 text-sm text-slate-500">
                {!match ? t("empty") : t.rich(hasNextPage ? "noMatchYet" : "noMatch", { match, data })}
              </p>
            )}
          </div>
        </div>
      </ScrollFrame>
      {!canEdit && <p className="text-xs text-slate-500">{readOnlyReason}</p>}
      {editor && (
        <FieldEditor
          connectionId={connectionId}
          keyRef={keyRef}
          editor={editor}
          onClose={() => setEditor(null)}
          onSaved={(saved) => {
            setNote(saved ?? null);
            void refresh();
          }}
        />
      )}
    </div>
  );
}
