"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { AuditBacklogNotice } from "@/components/audit/audit-backlog";
import { fetchJson } from "@/components/query/fetch-json";
import { api, queryKeys } from "@/components/query/api";
import { Button } from "@/components/ui/button";
import { formatTime } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import { Table, type Column } from "@/components/ui/table";
import type { AuditEntry } from "@/lib/audit";

const PAGE_SIZE = 50;
/** While entries wait on disk, look again this often to show them once they are written. */
const BACKLOG_POLL_MS = 5_000;

const OUTCOME_STYLES: Record<string, string> = {
  ok: "bg-emerald-50 text-emerald-800",
  failed: "bg-red-50 text-red-800",
  refused: "bg-amber-50 text-amber-900",
};

/** What an entry's count counts, by its action; the log stores the number alone. */
export function countText(action: string, count: number): string {
  const n = count.toLocaleString("en-US");
  const unit = (one: string, many: string) => `${n} ${count === 1 ? one : many}`;
  if (action.startsWith("cache.")) return unit("key", "keys");
  if (action === "model.clone") return unit("field copied", "fields copied");
  if (action === "model.restore" || action === "model.revert") return unit("field changed", "fields changed");
  if (action.startsWith("model.")) return unit("field", "fields");
  if (action === "key.delete") return unit("key", "keys");
  if (action === "pubsub.publish") return unit("byte", "bytes");
  if (action === "stream.ack") return unit("entry", "entries");
  if (action.startsWith("auth.")) return unit("session", "sessions");
  return `count ${n}`;
}

const COLUMNS: Column[] = [
  { label: "Time" },
  { label: "Who" },
  { label: "Action" },
  { label: "Outcome" },
  { label: "Target", className: "min-w-56" },
  { label: "Change" },
  { label: "From" },
];

export function AuditTable() {
  const query = useInfiniteQuery({
    queryKey: queryKeys.audit(),
    queryFn: ({ pageParam }) => fetchJson(api.audit({ count: PAGE_SIZE, before: pageParam })),
    initialPageParam: "",
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: (current) =>
      (current.state.data?.pages[0]?.backlog.waiting ?? 0) > 0 ? BACKLOG_POLL_MS : false,
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
  const backlog = query.data?.pages[0]?.backlog;
  const notice = backlog && <AuditBacklogNotice backlog={backlog} />;
  if (entries.length === 0) {
    return (
      <div className="space-y-4">
        {notice}
        <Notice>Nothing has been recorded yet.</Notice>
      </div>
    );
  }

  return (
    <div className="space-y-4">
      {notice}
      <AuditRows
        entries={entries}
        hasNextPage={query.hasNextPage}
        loadingMore={query.isFetchingNextPage}
        onLoadMore={() => query.fetchNextPage()}
      />
    </div>
  );
}

function AuditRows({
  entries,
  hasNextPage,
  loadingMore,
  onLoadMore,
}: {
  entries: AuditEntry[];
  hasNextPage: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
}) {
  return (
    <Table
      columns={COLUMNS}
      head="band"
      className="min-w-[48rem]"
      frame="rounded-xl border border-slate-200 bg-white shadow-sm"
      testId="audit-table"
      footer={
        <div className="flex items-center justify-between border-t border-slate-100 px-4 py-3 text-sm text-slate-500">
          <span>
            {entries.length} {entries.length === 1 ? "entry" : "entries"} shown
          </span>
          {hasNextPage ? (
            <Button variant="secondary" onClick={onLoadMore} disabled={loadingMore}>
              {loadingMore ? "Loading…" : "Load older entries"}
            </Button>
          ) : (
            <span>That is the oldest entry kept.</span>
          )}
        </div>
      }
    >
      <tbody>
        {entries.map((entry) => (
          <tr key={entry.id} className="border-t border-slate-100 align-top" data-testid="audit-row">
            <td className="px-4 py-2 whitespace-nowrap text-slate-600 tabular-nums">
              {formatTime(entry.at)}
              {entry.spooled && (
                <span
                  className="ml-1 text-xs text-slate-400"
                  title="Kept on disk while Redis refused writes, and written to the log later"
                >
                  (late)
                </span>
              )}
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
            {/* Names wrap between words (and inside one only when it is wider than the column). */}
            <td className="min-w-56 px-4 py-2 [overflow-wrap:anywhere]" data-testid="audit-target">
              {entry.connection && <span className="block text-xs text-slate-500">{entry.connection}</span>}
              {entry.target && <span className="block font-mono">{entry.target}</span>}
              {entry.field && <span className="block font-mono text-xs text-slate-600">{entry.field}</span>}
            </td>
            <td className="min-w-40 px-4 py-2 font-mono [overflow-wrap:anywhere]" data-testid="audit-change">
              {entry.old !== undefined || entry.new !== undefined
                ? `${entry.old ?? "∅"} → ${entry.new ?? "∅"}`
                : ""}
              {entry.count !== undefined && (
                <span className="font-sans text-slate-600">
                  {`${entry.old !== undefined || entry.new !== undefined ? " " : ""}(${countText(entry.action, entry.count)})`}
                </span>
              )}
            </td>
            <td className="px-4 py-2 font-mono text-xs text-slate-500">{entry.address}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
