"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState, useTransition } from "react";
import { fetchJson } from "@/components/query/fetch-json";
import { api, queryKeys } from "@/components/query/api";
import { Button } from "@/components/ui/button";
import { useFormat } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import { Table, type Column } from "@/components/ui/table";
import { endSessionAction } from "@/lib/actions/auth";
import { callAction } from "@/components/actions/call-action";

const PAGE_SIZE = 50;

/** The admin's list of active sessions, a page at a time, each with a button that ends it at once. */
export function SessionsTable() {
  const t = useTranslations("auth.sessions");
  const tShell = useTranslations("shell");
  const f = useFormat();
  const columns: Column[] = [
    { label: t("user") },
    { label: t("role") },
    { label: t("from") },
    { label: t("since") },
    { label: t("lastSeen") },
    { label: t("end"), srOnly: true },
  ];
  const [offset, setOffset] = useState(0);
  const queryClient = useQueryClient();
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<{ tone: "error" | "info"; text: string } | null>(null);
  const query = useQuery({
    queryKey: queryKeys.sessions(offset),
    queryFn: () => fetchJson(api.sessions({ offset, count: PAGE_SIZE })),
    placeholderData: keepPreviousData,
  });

  function end(id: string, username: string) {
    setMessage(null);
    startTransition(async () => {
      const result = await callAction(endSessionAction, { id });
      setMessage(
        result.ok
          ? { tone: "info", text: t("ended", { username }) }
          : { tone: "error", text: result.error.message },
      );
      await queryClient.invalidateQueries({ queryKey: queryKeys.sessionsAll() });
    });
  }

  if (query.isPending) return <p className="text-sm text-slate-500">{t("reading")}</p>;
  if (query.isError && !query.data) {
    return (
      <Notice tone="error" title={t("unreadable")}>
        {query.error.message}
      </Notice>
    );
  }
  const page = query.data!;
  return (
    <div className="flex flex-col gap-3">
      {message && <Notice tone={message.tone}>{message.text}</Notice>}
      <Table columns={columns} className="min-w-[36rem]" testId="sessions-table">
        <tbody>
          {page.sessions.map((session) => (
            <tr key={session.id} className="border-t border-slate-100" data-testid="session-row">
              <td className="py-2 font-medium">
                <span translate="no">{session.username}</span>
                {session.id === page.current && (
                  <span className="ml-2 text-xs text-emerald-700">{t("youHere")}</span>
                )}
              </td>
              <td className="py-2">{tShell(`roles.${session.role}`)}</td>
              <td className="py-2 font-mono text-xs text-slate-600" translate="no">
                {session.address}
              </td>
              <td className="py-2 whitespace-nowrap text-slate-600 tabular-nums">{f.time(session.since)}</td>
              <td className="py-2 whitespace-nowrap text-slate-600 tabular-nums">
                {f.time(session.lastSeen)}
              </td>
              <td className="py-2 text-right">
                <Button
                  variant="secondary"
                  disabled={pending}
                  onClick={() => end(session.id, session.username)}
                >
                  {/* Named in full for a screen reader, the user and address marked as data. */}
                  <span aria-hidden>{t("end")}</span>
                  <span className="sr-only">
                    {t.rich("endLabel", {
                      username: session.username,
                      address: session.address,
                      data: (chunks) => <span translate="no">{chunks}</span>,
                    })}
                  </span>
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
      <div className="flex items-center justify-between text-sm text-slate-500">
        <span>
          {t("total", { total: page.total })}
          {page.total > PAGE_SIZE &&
            t("shown", { from: f.count(offset + 1), to: f.count(Math.min(offset + PAGE_SIZE, page.total)) })}
        </span>
        <span className="flex gap-2">
          {offset > 0 && (
            <Button variant="secondary" onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}>
              {t("previous")}
            </Button>
          )}
          {page.nextOffset !== null && (
            <Button variant="secondary" onClick={() => setOffset(page.nextOffset!)}>
              {t("next")}
            </Button>
          )}
        </span>
      </div>
    </div>
  );
}
