"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { AuditBacklogNotice } from "@/components/audit/audit-backlog";
import { fetchJson } from "@/components/query/fetch-json";
import { api, queryKeys } from "@/components/query/api";
import { Button } from "@/components/ui/button";
import { useFormat } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import { Table, type Column } from "@/components/ui/table";
import type { AuditEntry } from "@/lib/audit";
import type { Messages } from "@/lib/i18n/messages";

const PAGE_SIZE = 50;
/** While entries wait on disk, look again this often to show them once they are written. */
const BACKLOG_POLL_MS = 5_000;

const OUTCOME_STYLES: Record<string, string> = {
  ok: "bg-emerald-50 text-emerald-800",
  failed: "bg-red-50 text-red-800",
  refused: "bg-amber-50 text-amber-900",
};

type CountKey = keyof Messages["audit"]["count"];
type ActionKey = keyof Messages["audit"]["actions"];

/** What an entry's count counts, by its action (a message of `audit.count`); the log stores the number alone. */
export function countKey(action: string): CountKey {
  if (action.startsWith("cache.")) return "keys";
  if (action === "model.clone") return "fieldsCopied";
  if (action === "model.restore" || action === "model.revert") return "fieldsChanged";
  if (action.startsWith("model.")) return "fields";
  if (action === "key.delete") return "keys";
  if (action === "pubsub.publish") return "bytes";
  if (action === "stream.ack") return "entries";
  if (action.startsWith("auth.")) return "sessions";
  return "other";
}

/** Each action code the console writes, described in words (a message of `audit.actions`). */
const ACTIONS: Record<string, ActionKey> = {
  "auth.sign-in": "signIn",
  "auth.sign-out": "signOut",
  "auth.sign-out-everywhere": "signOutEverywhere",
  "auth.session.end": "sessionEnd",
  "cache.flush": "cacheFlush",
  "cache.flush.start": "cacheFlushStart",
  "cache.flushdb": "cacheFlushdb",
  "key.delete": "keyDelete",
  "key.ttl": "keyTtl",
  "model.set": "modelSet",
  "model.add": "modelAdd",
  "model.delete": "modelDelete",
  "model.bulk": "modelBulk",
  "model.rename": "modelRename",
  "model.restore": "modelRestore",
  "model.revert": "modelRevert",
  "model.clone": "modelClone",
  "pubsub.publish": "publish",
  "request.refused": "requestRefused",
  "stream.ack": "streamAck",
  "stream.group.create": "groupCreate",
};

export function actionKey(action: string): ActionKey {
  return ACTIONS[action] ?? "other";
}

export function AuditTable() {
  const t = useTranslations("audit");
  const query = useInfiniteQuery({
    queryKey: queryKeys.audit(),
    queryFn: ({ pageParam }) => fetchJson(api.audit({ count: PAGE_SIZE, before: pageParam })),
    initialPageParam: "",
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: (current) =>
      (current.state.data?.pages[0]?.backlog.waiting ?? 0) > 0 ? BACKLOG_POLL_MS : false,
  });

  if (query.isPending) return <p className="text-sm text-slate-500">{t("reading")}</p>;
  if (query.isError && !query.data) {
    return (
      <Notice tone="error" title={t("cannotRead")}>
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
        <Notice>{t("empty")}</Notice>
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
  const t = useTranslations("audit");
  const f = useFormat();
  const columns: Column[] = [
    { label: t("columns.time") },
    { label: t("columns.who") },
    { label: t("columns.action") },
    { label: t("columns.outcome") },
    { label: t("columns.target"), className: "min-w-56" },
    { label: t("columns.change") },
    { label: t("columns.from") },
  ];
  return (
    <Table
      columns={columns}
      head="band"
      className="min-w-[48rem]"
      frame="rounded-xl border border-slate-200 bg-white shadow-sm"
      testId="audit-table"
      footer={
        <div className="flex items-center justify-between border-t border-slate-100 px-4 py-3 text-sm text-slate-500">
          <span>{t("shown", { count: entries.length })}</span>
          {hasNextPage ? (
            <Button variant="secondary" onClick={onLoadMore} disabled={loadingMore}>
              {loadingMore ? t("loading") : t("loadOlder")}
            </Button>
          ) : (
            <span>{t("oldest")}</span>
          )}
        </div>
      }
    >
      <tbody>
        {entries.map((entry) => (
          <tr key={entry.id} className="border-t border-slate-100 align-top" data-testid="audit-row">
            <td className="px-4 py-2 whitespace-nowrap text-slate-600 tabular-nums">
              {f.time(entry.at)}
              {entry.spooled && (
                <span className="ml-1 text-xs text-slate-400" title={t("lateTitle")}>
                  {t("late")}
                </span>
              )}
            </td>
            <td className="px-4 py-2 whitespace-nowrap">
              <span className="font-medium" translate="no">
                {entry.user}
              </span>
              {entry.role && (
                <span className="ml-1 text-xs text-slate-500">{t("role", { role: entry.role })}</span>
              )}
            </td>
            {/* The action in words, and its code as stored (what a log query searches for). */}
            <td className="px-4 py-2" data-testid="audit-action">
              <span className="block">{t(`actions.${actionKey(entry.action)}`)}</span>
              <span className="block font-mono text-xs text-slate-500" translate="no">
                {entry.action}
              </span>
            </td>
            <td className="px-4 py-2">
              <span
                className={`rounded px-2 py-0.5 text-xs font-medium ${OUTCOME_STYLES[entry.outcome] ?? ""}`}
              >
                {t("outcome", { outcome: entry.outcome })}
              </span>
              {/* Stored as written when it happened, like the rest of the entry. */}
              {entry.detail && (
                <span className="ml-2 text-xs text-slate-500" translate="no">
                  {entry.detail}
                </span>
              )}
            </td>
            {/* Names wrap between words (and inside one only when it is wider than the column). */}
            <td
              className="min-w-56 px-4 py-2 [overflow-wrap:anywhere]"
              data-testid="audit-target"
              translate="no"
            >
              {entry.connection && <span className="block text-xs text-slate-500">{entry.connection}</span>}
              {entry.target && <span className="block font-mono">{entry.target}</span>}
              {entry.field && <span className="block font-mono text-xs text-slate-600">{entry.field}</span>}
            </td>
            <td className="min-w-40 px-4 py-2 font-mono [overflow-wrap:anywhere]" data-testid="audit-change">
              {entry.old !== undefined || entry.new !== undefined ? (
                <span translate="no">{`${entry.old ?? "∅"} → ${entry.new ?? "∅"}`}</span>
              ) : (
                ""
              )}
              {entry.count !== undefined && (
                <span className="font-sans text-slate-600">
                  {`${entry.old !== undefined || entry.new !== undefined ? " " : ""}${t("countParens", { text: t(`count.${countKey(entry.action)}`, { count: entry.count }) })}`}
                </span>
              )}
            </td>
            <td className="px-4 py-2 font-mono text-xs text-slate-500" translate="no">
              {entry.address}
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
