"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { fetchJson } from "@/components/query/fetch-json";
import { queryKeys } from "@/components/query/keys";
import { Button } from "@/components/ui/button";
import { formatTime } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import type { AuditPage } from "@/lib/audit";

const PAGE_SIZE = 50;

const OUTCOME_STYLES: Record<string, string> = {
  ok: "bg-emerald-50 text-emerald-800",
  failed: "bg-red-50 text-red-800",
  refused: "bg-amber-50 text-amber-900",
};

export function AuditTable() {
  const query = useInfiniteQuery({
    queryKey: queryKeys.audit(),
    queryFn: ({ pageParam }) =>
      fetchJson<AuditPage>(
        `/api/audit?count=${PAGE_SIZE}${pageParam ? `&before=${encodeURIComponent(pageParam)}` : ""}`,
      ),
    initialPageParam: "",
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

  if (query.isPending) return <p className="text-sm text-slate-500">Reading the audit log…</p>;
  if (query.isError && !query.data) {
    return (
      <Notice tone="error" title="The audit log cannot be read">
        {query.error.message}
      </Notice>
    );
  }
  const entries = query.data?.pages.flatMap((page) => page.entries) ?? [];
  if (entries.length === 0) return <Notice>Nothing has been recorded yet.</Notice>;

  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
      <table className="w-full text-sm" data-testid="audit-table">
        <thead className="bg-slate-50">
          <tr className="text-left text-xs tracking-wide text-slate-500 uppercase">
            <th className="px-4 py-2 font-medium">Time</th>
            <th className="px-4 py-2 font-medium">Who</th>
            <th className="px-4 py-2 font-medium">Action</th>
            <th className="px-4 py-2 font-medium">Outcome</th>
            <th className="px-4 py-2 font-medium">Target</th>
            <th className="px-4 py-2 font-medium">Change</th>
            <th className="px-4 py-2 font-medium">From</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id} className="border-t border-slate-100 align-top" data-testid="audit-row">
              <td className="px-4 py-2 whitespace-nowrap text-slate-600 tabular-nums">
                {formatTime(entry.at)}
              </td>
              <td className="px-4 py-2">
                <span className="font-medium">{entry.user}</span>
                {entry.role && <span className="ml-1 text-xs text-slate-500">({entry.role})</span>}
              </td>
              <td className="px-4 py-2 font-mono">{entry.action}</td>
              <td className="px-4 py-2">
                <span
                  className={`rounded px-2 py-0.5 text-xs font-medium ${OUTCOME_STYLES[entry.outcome] ?? ""}`}
                >
                  {entry.outcome}
                </span>
                {entry.detail && <span className="ml-2 text-xs text-slate-500">{entry.detail}</span>}
              </td>
              <td className="px-4 py-2 font-mono break-all">
                {[entry.connection, entry.target, entry.field].filter(Boolean).join(" · ")}
              </td>
              <td className="px-4 py-2 font-mono break-all">
                {entry.old !== undefined || entry.new !== undefined
                  ? `${entry.old ?? "∅"} → ${entry.new ?? "∅"}`
                  : ""}
                {entry.count !== undefined && ` (${entry.count})`}
              </td>
              <td className="px-4 py-2 font-mono text-xs text-slate-500">{entry.address}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="flex items-center justify-between border-t border-slate-100 px-4 py-3 text-sm text-slate-500">
        <span>
          {entries.length} {entries.length === 1 ? "entry" : "entries"} shown
        </span>
        {query.hasNextPage ? (
          <Button
            variant="secondary"
            onClick={() => query.fetchNextPage()}
            disabled={query.isFetchingNextPage}
          >
            {query.isFetchingNextPage ? "Loading…" : "Load older entries"}
          </Button>
        ) : (
          <span>That is the oldest entry kept.</span>
        )}
      </div>
    </div>
  );
}
