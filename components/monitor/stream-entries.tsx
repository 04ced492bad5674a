"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { monitorKeys } from "@/components/monitor/query-keys";
import { fetchJson } from "@/components/query/fetch-json";
import { Button } from "@/components/ui/button";
import { formatCount, formatTime } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import { ValueDisplay } from "@/components/values/value-view";
import type { EntryPage } from "@/lib/streams/entries";

const PAGE_SIZE = 50;

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
  const [range, setRange] = useState<Range>(WHOLE);
  const [pageEnds, setPageEnds] = useState<string[]>([]);
  const end = pageEnds[pageEnds.length - 1] ?? range.end;
  const query = useQuery({
    queryKey: monitorKeys.streamEntries(connectionId, streamRef, range.start, end),
    queryFn: () => {
      const params = new URLSearchParams({
        conn: connectionId,
        start: range.start,
        end,
        count: String(PAGE_SIZE),
        direction: "backward",
      });
      return fetchJson<EntryPage>(`/api/streams/${streamRef}/entries?${params}`);
    },
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
      <form onSubmit={applyRange} className="flex flex-wrap items-end gap-3" aria-label="Entry range">
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          From ID
          <input
            name="start"
            defaultValue={range.start === "-" ? "" : range.start}
            placeholder="- (the first)"
            className="w-56 rounded-lg border border-slate-300 bg-white px-3 py-2 font-mono font-normal"
          />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          To ID
          <input
            name="end"
            defaultValue={range.end === "+" ? "" : range.end}
            placeholder="+ (the newest)"
            className="w-56 rounded-lg border border-slate-300 bg-white px-3 py-2 font-mono font-normal"
          />
        </label>
        <Button type="submit" variant="secondary">
          Show range
        </Button>
        <span className="pb-2 text-xs text-slate-500">An entry id (1700000000000-0) or a time in ms.</span>
      </form>
      {query.isError && (
        <Notice tone="error" title="The entries cannot be read">
          {query.error.message}
        </Notice>
      )}
      {query.isPending && <p className="text-sm text-slate-500">Reading entries…</p>}
      {page && (
        <>
          <div className="flex flex-wrap items-center justify-between gap-2 text-sm text-slate-600">
            <span data-testid="entries-progress">
              {page.entries.length === 0
                ? "No entries in this range."
                : `Page ${pageEnds.length + 1}: ${formatCount(page.entries.length)} ${page.entries.length === 1 ? "entry" : "entries"}, newest first, of ${formatCount(page.length)} in the stream.`}
            </span>
            <div className="flex gap-2">
              <Button
                variant="secondary"
                onClick={() => setPageEnds(pageEnds.slice(0, -1))}
                disabled={pageEnds.length === 0}
              >
                Newer
              </Button>
              <Button
                variant="secondary"
                onClick={() => page.next && setPageEnds([...pageEnds, page.next])}
                disabled={!page.next || query.isPlaceholderData}
              >
                Older
              </Button>
            </div>
          </div>
          {page.entries.length > 0 && (
            <div className="overflow-auto rounded-lg border border-slate-200">
              <table className="w-full text-sm" data-testid="entries-table">
                <thead className="bg-slate-50 text-left text-xs tracking-wide text-slate-500 uppercase">
                  <tr>
                    <th className="px-3 py-2 font-medium">Entry ID</th>
                    <th className="px-3 py-2 font-medium">Added</th>
                    <th className="px-3 py-2 font-medium">Fields</th>
                  </tr>
                </thead>
                <tbody>
                  {page.entries.map((entry) => (
                    <tr
                      key={entry.id}
                      className="border-t border-slate-100 align-top"
                      data-testid="entry-row"
                      data-id={entry.id}
                    >
                      <td className="px-3 py-2 font-mono whitespace-nowrap">{entry.id}</td>
                      <td className="px-3 py-2 whitespace-nowrap text-slate-600">{formatTime(entry.at)}</td>
                      <td className="px-3 py-2">
                        <dl className="grid grid-cols-[minmax(6rem,max-content)_minmax(0,1fr)] gap-x-3 gap-y-1">
                          {entry.fields.map((field, index) => (
                            <div key={`${index}:${field.name}`} className="contents">
                              <dt
                                className="truncate font-mono text-xs leading-5 text-slate-500"
                                title={field.name}
                              >
                                {field.name}
                              </dt>
                              <dd className="min-w-0">
                                <ValueDisplay value={field.value} compact />
                              </dd>
                            </div>
                          ))}
                        </dl>
                        {entry.fieldCount > entry.fields.length && (
                          <p className="mt-1 text-xs text-amber-700">
                            showing {entry.fields.length} of {formatCount(entry.fieldCount)} fields
                          </p>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </div>
  );
}
