"use client";

import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useDeferredValue, useEffect, useMemo, useRef, useState } from "react";
import { FieldEditor, type EditorMode } from "@/components/models/field-editor";
import { fetchJson } from "@/components/query/fetch-json";
import { queryKeys } from "@/components/query/keys";
import { Button } from "@/components/ui/button";
import { formatCount } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import { KindBadge, ValueDisplay } from "@/components/values/value-view";
import type { FieldPage, ModelField } from "@/lib/models/types";

const PAGE_SIZE = 200;
const ROW_HEIGHT = 48;

type SortOrder = "scan" | "name" | "value";

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
    queryKey: queryKeys.modelFields(connectionId, keyRef, match),
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams({ conn: connectionId, cursor: pageParam, count: String(PAGE_SIZE) });
      if (match) params.set("match", match);
      return fetchJson<FieldPage>(`/api/models/${keyRef}/fields?${params}`);
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
  const queryClient = useQueryClient();
  const [filter, setFilter] = useState("");
  const match = useDeferredValue(filter.trim());
  const [order, setOrder] = useState<SortOrder>("scan");
  const [editor, setEditor] = useState<EditorMode | null>(null);
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
  useEffect(() => {
    // Load the next HSCAN page as the reader nears the end of what is loaded.
    if (hasNextPage && !isFetchingNextPage && lastIndex >= rows.length - 20) void fetchNextPage();
  }, [lastIndex, rows.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.model(connectionId, keyRef) });
  const editTitle = canEdit ? undefined : readOnlyReason;

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          Filter by field name (glob)
          <input
            type="search"
            value={filter}
            onChange={(event) => setFilter(event.target.value)}
            placeholder="w_000*"
            className="w-64 rounded-lg border border-slate-300 bg-white px-3 py-2 font-mono font-normal"
          />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          Sort
          <select
            value={order}
            onChange={(event) => setOrder(event.target.value as SortOrder)}
            className="rounded-lg border border-slate-300 bg-white px-3 py-2 font-normal"
          >
            <option value="scan">as stored</option>
            <option value="name">by name</option>
            <option value="value">by value</option>
          </select>
        </label>
        <div className="ml-auto flex gap-2">
          <Button onClick={() => setEditor({ mode: "add" })} disabled={!canEdit} title={editTitle}>
            Add parameter
          </Button>
        </div>
      </div>
      {query.isError && !query.data && (
        <Notice tone="error" title="The parameters cannot be read">
          {query.error.message}
        </Notice>
      )}
      <p className="text-sm text-slate-600" data-testid="fields-progress">
        {query.isPending
          ? "Reading parameters…"
          : `${formatCount(loaded.length)} of ${formatCount(total)} fields loaded${match ? ` matching ${match}` : ""}${
              hasNextPage ? "; more load as you scroll" : ""
            }${order !== "scan" && hasNextPage ? " (sorted among the loaded fields)" : ""}.`}
      </p>
      <div className="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
        <div className="grid grid-cols-[minmax(12rem,2fr)_6rem_minmax(16rem,4fr)_13rem] border-b border-slate-200 bg-slate-50 px-4 py-2 text-xs font-medium tracking-wide text-slate-500 uppercase">
          <span>Field</span>
          <span>Kind</span>
          <span>Value</span>
          <span className="text-right">Actions</span>
        </div>
        <div ref={scroller} className="h-[32rem] overflow-auto" data-testid="param-scroller">
          <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
            {items.map((item) => {
              const field = rows[item.index]!;
              return (
                <div
                  key={field.ref}
                  data-testid="param-row"
                  data-field={field.name}
                  className="absolute inset-x-0 grid grid-cols-[minmax(12rem,2fr)_6rem_minmax(16rem,4fr)_13rem] items-center border-b border-slate-100 px-4 text-sm hover:bg-slate-50"
                  style={{ height: item.size, transform: `translateY(${item.start}px)` }}
                >
                  <span className="truncate font-mono" title={field.name}>
                    {field.name}
                  </span>
                  <span>
                    <KindBadge kind={field.value.kind} />
                  </span>
                  <span className="min-w-0 truncate" data-testid="param-value">
                    <ValueDisplay value={field.value} compact />
                  </span>
                  <span className="flex justify-end gap-1">
                    {(["edit", "rename", "delete"] as const).map((mode) => (
                      <button
                        key={mode}
                        type="button"
                        disabled={!canEdit}
                        title={editTitle}
                        aria-label={`${mode[0]!.toUpperCase()}${mode.slice(1)} ${field.name}`}
                        onClick={() => setEditor({ mode, field })}
                        className="text-brand-700 hover:bg-brand-50 rounded px-2 py-1 text-xs font-medium disabled:cursor-not-allowed disabled:text-slate-400 disabled:hover:bg-transparent"
                      >
                        {mode[0]!.toUpperCase() + mode.slice(1)}
                      </button>
                    ))}
                  </span>
                </div>
              );
            })}
          </div>
          {query.data && rows.length === 0 && (
            <p className="p-6 text-sm text-slate-500">
              {match ? `No field matches ${match}.` : "This hash has no fields."}
            </p>
          )}
        </div>
      </div>
      {!canEdit && <p className="text-xs text-slate-500">{readOnlyReason}</p>}
      {editor && (
        <FieldEditor
          connectionId={connectionId}
          keyRef={keyRef}
          editor={editor}
          onClose={() => setEditor(null)}
          onSaved={refresh}
        />
      )}
    </div>
  );
}
