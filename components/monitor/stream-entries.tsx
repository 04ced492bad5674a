"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { api, queryKeys } from "@/components/query/api";
import { fetchJson } from "@/components/query/fetch-json";
import { Button } from "@/components/ui/button";
import { useFormat } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import { Table, type Column } from "@/components/ui/table";

/** A page fits on a laptop screen at one line per entry. */
const PAGE_SIZE = 25;

interface Range {
  start: string;
  end: string;
}

const WHOLE: Range = { start: "-", end: "+" };

/**
 * Older entries, newest first, a page at a time. Each "Older" remembers where the page began, so
 * "Newer" steps back exactly; a range narrows the pages to ids (or ms times) between two bounds.
 */
export function StreamEntries({ connectionId, streamRef }: { connectionId: string; streamRef: string }) {
  const t = useTranslations("monitor.entries");
  const f = useFormat();
  const columns: Column[] = [{ label: t("entryId") }, { label: t("added") }, { label: t("fields") }];
  const [range, setRange] = useState<Range>(WHOLE);
  const [pageEnds, setPageEnds] = useState<string[]>([]);
  const end = pageEnds[pageEnds.length - 1] ?? range.end;
  const query = useQuery({
    queryKey: queryKeys.monitor.streamEntries(connectionId, streamRef, range.start, end),
    queryFn: () =>
      fetchJson(
        api.streamEntries(streamRef, {
          conn: connectionId,
          start: range.start,
          end,
          count: PAGE_SIZE,
          direction: "backward",
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const page = query.data;

  function applyRange(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setRange({
      start: String(form.get("start") ?? "").trim() || "-",
      end: String(form.get("end") ?? "").trim() || "+",
    });
    setPageEnds([]);
  }

  return (
    <div className="flex flex-col gap-3">
      <form onSubmit={applyRange} className="flex flex-wrap items-end gap-3" aria-label={t("rangeLabel")}>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          {t("from")}
          <input
            name="start"
            defaultValue={range.start === "-" ? "" : range.start}
            placeholder={t("fromPlaceholder")}
            className="w-56 rounded-lg border border-slate-300 bg-white px-3 py-2 font-mono font-normal"
          />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          {t("to")}
          <input
            name="end"
            defaultValue={range.end === "+" ? "" : range.end}
            placeholder={t("toPlaceholder")}
            className="w-56 rounded-lg border border-slate-300 bg-white px-3 py-2 font-mono font-normal"
          />
        </label>
        <Button type="submit" variant="secondary">
          {t("show")}
        </Button>
        <span className="pb-2 text-xs text-slate-500">
          {t.rich("rangeHint", { code: (chunks) => <code>{chunks}</code> })}
        </span>
      </form>
      {query.isError && (
        <Notice tone="error" title={t("cannotRead")}>
          {query.error.message}
        </Notice>
      )}
      {query.isPending && <p className="text-sm text-slate-500">{t("reading")}</p>}
      {page && (
        <>
          <div className="flex flex-wrap items-center justify-between gap-2 text-sm text-slate-600">
            <span data-testid="entries-progress">
              {page.entries.length === 0
                ? t("none")
                : t("progress", {
                    page: pageEnds.length + 1,
                    count: page.entries.length,
                    n: f.count(page.entries.length),
                    total: f.count(page.length),
                  })}
            </span>
            <div className="flex gap-2">
              <Button
                variant="secondary"
                onClick={() => setPageEnds(pageEnds.slice(0, -1))}
                disabled={pageEnds.length === 0}
              >
                {t("newer")}
              </Button>
              <Button
                variant="secondary"
                onClick={() => page.next && setPageEnds([...pageEnds, page.next])}
                disabled={!page.next || query.isPlaceholderData}
              >
                {t("older")}
              </Button>
            </div>
          </div>
          {page.entries.length > 0 && (
            <Table
              columns={columns}
              head="band"
              headCell="px-3 py-1.5"
              className="min-w-[36rem] table-fixed"
              frame="rounded-lg border border-slate-200"
              caption={t("caption")}
              colgroup={
                <>
                  <col className="w-44" />
                  <col className="w-44" />
                  <col />
                </>
              }
              testId="entries-table"
            >
              <tbody>
                {page.entries.map((entry) => (
                  <tr
                    key={entry.id}
                    className="border-t border-slate-100 hover:bg-slate-50"
                    data-testid="entry-row"
                    data-id={entry.id}
                  >
                    <td className="truncate px-3 py-1 font-mono text-xs" title={entry.id} translate="no">
                      {entry.id}
                    </td>
                    <td className="truncate px-3 py-1 text-xs text-slate-600 tabular-nums">
                      {f.time(entry.at).replace(" UTC", "")}
                    </td>
                    <td className="px-3 py-1">
                      {/* One line per entry: field value pairs side by side, the rest cut and in the tooltip. */}
                      <span
                        className="flex min-w-0 items-baseline gap-x-3 overflow-hidden whitespace-nowrap"
                        translate="no"
                        title={entry.fields.map((field) => `${field.name}=${field.value.display}`).join("  ")}
                      >
                        {entry.fields.map((field, index) => (
                          <span
                            key={`${index}:${field.name}`}
                            className="flex min-w-0 shrink-0 items-baseline gap-1"
                          >
                            <span className="font-mono text-xs text-slate-500">{field.name}</span>
                            <span className="max-w-56 truncate font-mono text-xs text-slate-900">
                              {field.value.display}
                            </span>
                          </span>
                        ))}
                        {entry.fieldCount > entry.fields.length && (
                          <span className="text-xs text-amber-700" translate="yes">
                            {t("moreFields", { n: f.count(entry.fieldCount - entry.fields.length) })}
                          </span>
                        )}
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </>
      )}
    </div>
  );
}
