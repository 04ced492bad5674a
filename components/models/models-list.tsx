"use client";

import { useAutoScan } from "@/components/query/use-auto-scan";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useDeferredValue, useMemo, useState, useTransition, type FormEvent } from "react";
import { api, queryKeys } from "@/components/query/api";
import { fetchJson } from "@/components/query/fetch-json";
import { Button } from "@/components/ui/button";
import { useFormat } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import { Table, type Column } from "@/components/ui/table";
import { SearchInput } from "@/components/ui/search-input";
import { openModelByName } from "@/lib/actions/models";
import type { ModelListPage, ModelRow } from "@/lib/models/list";
import { callAction } from "@/components/actions/call-action";

/** Automatic continuation: until this many rows are shown, and at most this many requests. */
const AUTO_SCAN_UNTIL = 25;
const AUTO_SCAN_PAGES = 30;

interface ModelGroup {
  name: string;
  rows: ModelRow[];
}

/** Rows of every loaded page, grouped by model name, versions newest first. */
function groupRows(pages: ModelListPage[]): ModelGroup[] {
  const groups = new Map<string, ModelRow[]>();
  const seen = new Set<string>();
  for (const row of pages.flatMap((page) => page.rows)) {
    if (seen.has(row.ref)) continue; // SCAN may return a key twice
    seen.add(row.ref);
    groups.set(row.name, [...(groups.get(row.name) ?? []), row]);
  }
  return [...groups.entries()]
    .map(([name, rows]) => ({ name, rows: rows.sort((a, b) => (b.version ?? -1) - (a.version ?? -1)) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Cells shown from a small tablet's width up; a phone gets their facts under the key. */
const WIDE_ONLY = "hidden sm:table-cell";

/** Text that is Redis data (key names, patterns, user names): never translated. */
const data = (chunks: React.ReactNode) => <span translate="no">{chunks}</span>;

export function ModelsList({ connectionId }: { connectionId: string }) {
  const t = useTranslations("models.list");
  const f = useFormat();
  const columns: Column[] = [
    { label: null, ariaLabel: t("columns.select"), className: "w-10" },
    { label: t("columns.model") },
    // On a phone these four fold into a line under each key (rowFacts) instead of scrolling away.
    { label: t("columns.fields"), align: "right", className: WIDE_ONLY },
    { label: t("columns.memory"), align: "right", className: WIDE_ONLY },
    { label: t("columns.ttl"), align: "right", className: WIDE_ONLY },
    { label: t("columns.lastChange"), className: WIDE_ONLY },
  ];
  const router = useRouter();
  const [search, setSearch] = useState("");
  const deferredSearch = useDeferredValue(search.trim());
  const [selected, setSelected] = useState<string[]>([]);
  const [openError, setOpenError] = useState<string | null>(null);
  const [opening, startOpening] = useTransition();

  const query = useInfiniteQuery({
    queryKey: queryKeys.models.list(connectionId, deferredSearch),
    queryFn: ({ pageParam }) => {
      return fetchJson(api.models({ conn: connectionId, cursor: pageParam, search: deferredSearch }));
    },
    initialPageParam: "",
    getNextPageParam: (last) => last.cursor || undefined,
  });
  const pages = useMemo(() => query.data?.pages ?? [], [query.data]);
  const groups = useMemo(() => groupRows(pages), [pages]);
  const examined = pages.reduce((sum, page) => sum + page.examined, 0);
  const last = pages[pages.length - 1];
  const shown = groups.reduce((sum, group) => sum + group.rows.length, 0);
  useAutoScan(query, shown, pages.length, { until: AUTO_SCAN_UNTIL, maxPages: AUTO_SCAN_PAGES });

  function openByName(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get("name") ?? "");
    setOpenError(null);
    startOpening(async () => {
      const result = await callAction(openModelByName, { conn: connectionId, name });
      if (!result.ok) setOpenError(result.error.message);
      else router.push(`/models/${result.data.ref}`);
    });
  }

  function toggle(ref: string) {
    setSelected((current) =>
      current.includes(ref) ? current.filter((r) => r !== ref) : [...current.slice(-1), ref],
    );
  }

  return (
    <div className="flex flex-col gap-5">
      <div className="flex flex-wrap items-end gap-4">
        <SearchInput
          label={t("search")}
          value={search}
          onChange={setSearch}
          placeholder={t("searchPlaceholder")}
          className="min-w-72 flex-1"
        />
        <form onSubmit={openByName} className="flex items-end gap-2">
          <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
            {t("openLabel")}
            <input
              name="name"
              required
              placeholder={t("openPlaceholder")}
              className="w-64 rounded-lg border border-slate-300 bg-white px-3 py-2 font-mono font-normal"
            />
          </label>
          <Button type="submit" variant="secondary" disabled={opening}>
            {t("open")}
          </Button>
        </form>
        <Link
          aria-disabled={selected.length !== 2}
          href={selected.length === 2 ? `/models/compare?a=${selected[0]}&b=${selected[1]}` : "#"}
          className={`rounded-lg px-3.5 py-2 text-sm font-medium ${
            selected.length === 2
              ? "bg-brand-600 hover:bg-brand-700 text-white"
              : "pointer-events-none bg-slate-200 text-slate-500"
          }`}
        >
          {t("compareSelected", { count: selected.length })}
        </Link>
      </div>
      {openError && <Notice tone="error">{openError}</Notice>}
      {query.isError && !query.data && (
        <Notice tone="error" title={t("listError")}>
          {query.error.message}
        </Notice>
      )}
      {query.isPending && <p className="text-sm text-slate-500">{t("scanningFirst")}</p>}
      {query.data && groups.length === 0 && !query.hasNextPage && (
        <Notice>
          {t.rich("none", {
            patterns: last?.patterns.join(", ") ?? "",
            hasSearch: deferredSearch ? "yes" : "no",
            search: deferredSearch,
            data,
            code: (chunks) => <code>{chunks}</code>,
          })}
        </Notice>
      )}
      {groups.length > 0 && (
        <Table
          columns={columns}
          head="band"
          className="sm:min-w-[44rem]"
          frame="rounded-xl border border-slate-200 bg-white shadow-sm"
          testId="models-table"
        >
          {groups.map((group) => (
            <tbody key={group.name} className="border-t border-slate-200" data-testid="model-group">
              <tr className="bg-slate-50/60">
                <th colSpan={columns.length} className="px-4 py-2 text-left font-semibold text-slate-800">
                  <span translate="no">{group.name}</span>
                  <span className="ml-2 text-xs font-normal text-slate-500">
                    {t("groupCount", { count: group.rows.length })}
                  </span>
                </th>
              </tr>
              {group.rows.map((row) => (
                <tr
                  key={row.ref}
                  className="border-t border-slate-100 hover:bg-slate-50"
                  data-testid="model-row"
                >
                  <td className="px-4 py-2">
                    <label>
                      <input
                        type="checkbox"
                        checked={selected.includes(row.ref)}
                        onChange={() => toggle(row.ref)}
                      />
                      {/* "Select <key> to compare", with the key kept as data. */}
                      <span className="sr-only">{t.rich("selectRow", { key: row.key, data })}</span>
                    </label>
                  </td>
                  <td className="px-4 py-2">
                    <Link
                      href={`/models/${row.ref}`}
                      className="text-brand-700 font-mono hover:underline"
                      translate="no"
                    >
                      {row.key}
                    </Link>
                    {row.version !== null && (
                      <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">
                        v{row.version}
                      </span>
                    )}
                    {row.pinned && <span className="ml-2 text-xs text-slate-500">{t("pinned")}</span>}
                    {row.byValues && (
                      <span
                        className="ml-2 rounded bg-amber-50 px-1.5 py-0.5 text-xs text-amber-800"
                        title={t("foundByValuesTitle")}
                        data-testid="found-by-values"
                      >
                        {t("foundByValues")}
                      </span>
                    )}
                    <div className="mt-1 text-xs text-slate-500 sm:hidden" data-testid="model-row-facts">
                      {t("rowFacts", {
                        fields: row.fields,
                        memory: row.memoryBytes === null ? "—" : f.bytes(row.memoryBytes),
                        ttl: row.ttlSeconds === null ? t("noExpiry") : f.duration(row.ttlSeconds),
                      })}
                    </div>
                  </td>
                  <td className={`${WIDE_ONLY} px-4 py-2 text-right tabular-nums`}>{f.count(row.fields)}</td>
                  <td className={`${WIDE_ONLY} px-4 py-2 text-right tabular-nums`}>
                    {row.memoryBytes === null ? "—" : f.bytes(row.memoryBytes)}
                  </td>
                  <td className={`${WIDE_ONLY} px-4 py-2 text-right tabular-nums`}>
                    {row.ttlSeconds === null ? t("noExpiry") : f.duration(row.ttlSeconds)}
                  </td>
                  <td className={`${WIDE_ONLY} px-4 py-2 text-slate-600`}>
                    {row.lastChange
                      ? t.rich("lastChange", {
                          time: f.time(row.lastChange.at),
                          user: row.lastChange.user,
                          data,
                        })
                      : "—"}
                  </td>
                </tr>
              ))}
            </tbody>
          ))}
        </Table>
      )}
      {query.data && (
        <div className="flex flex-wrap items-center justify-between gap-3 text-sm text-slate-600">
          <span data-testid="scan-progress">
            {query.hasNextPage
              ? t("scannedSome", { examined: f.count(examined), total: f.count(last?.dbSize ?? 0) })
              : t.rich("scannedAll", {
                  total: f.count(last?.dbSize ?? 0),
                  patterns: last?.patterns.join(", ") ?? "",
                  data,
                })}
          </span>
          {query.hasNextPage && (
            <Button
              variant="secondary"
              onClick={() => query.fetchNextPage()}
              disabled={query.isFetchingNextPage}
            >
              {query.isFetchingNextPage ? t("scanning") : t("continue")}
            </Button>
          )}
        </div>
      )}
    </div>
  );
}
