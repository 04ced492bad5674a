"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState, useTransition, type FormEvent } from "react";
import { DANGER } from "@/components/cache/flush-dialog";
import { api, queryKeys } from "@/components/query/api";
import { fetchJson } from "@/components/query/fetch-json";
import { Card } from "@/components/ui/card";
import { useFormat } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import { flushDatabaseAction } from "@/lib/actions/cache";
import { callAction } from "@/components/actions/call-action";

/** Admin only: empty the whole database, confirmed by typing its name. */
export function DatabaseFlush({ connectionId }: { connectionId: string }) {
  const t = useTranslations("cache.database");
  const f = useFormat();
  const queryClient = useQueryClient();
  const [confirm, setConfirm] = useState("");
  const [message, setMessage] = useState<{ tone: "error" | "info"; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const info = useQuery({
    queryKey: queryKeys.cache.database(connectionId),
    queryFn: () => fetchJson(api.cacheDatabase(connectionId)),
  });
  const data = info.data;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!data || confirm !== data.label) return;
    setMessage(null);
    startTransition(async () => {
      const result = await callAction(flushDatabaseAction, { conn: connectionId, confirm });
      if (!result.ok) {
        setMessage({ tone: "error", text: result.error.message });
        return;
      }
      setConfirm("");
      setMessage({
        tone: "info",
        text: t("flushed", {
          label: result.data.label,
          count: result.data.keysBefore,
          n: f.count(result.data.keysBefore),
        }),
      });
      await queryClient.invalidateQueries({ queryKey: queryKeys.connection(connectionId) });
    });
  }

  return (
    <Card title={t("title")}>
      <div data-testid="database-flush" className="flex flex-col gap-3 text-sm text-slate-700">
        {info.isError && <Notice tone="error">{info.error.message}</Notice>}
        {info.isPending && <p className="text-slate-500">{t("reading")}</p>}
        {data && (
          <>
            <p>
              {t.rich(data.cluster ? "holdsCluster" : "holds", {
                label: data.label,
                keys: f.count(data.keys),
                count: data.nodes,
                nodes: f.count(data.nodes),
                name: (chunks) => (
                  <strong className="font-mono" translate="no">
                    {chunks}
                  </strong>
                ),
              })}
            </p>
            {data.holdsConsoleState && (
              <Notice tone="warning" title={t("consoleStateTitle")}>
                {t("consoleStateText")}
              </Notice>
            )}
            <form onSubmit={submit} className="flex flex-wrap items-end gap-3" aria-label={t("title")}>
              <label className="flex min-w-72 flex-1 flex-col gap-1 font-medium">
                {t("confirmLabel")}
                <input
                  value={confirm}
                  onChange={(event) => setConfirm(event.target.value)}
                  placeholder={data.label}
                  translate="no"
                  spellCheck={false}
                  autoComplete="off"
                  className="rounded-lg border border-slate-300 bg-white px-3 py-2 font-mono font-normal"
                />
              </label>
              <button type="submit" className={DANGER} disabled={pending || confirm !== data.label}>
                {pending ? t("flushing") : t("title")}
              </button>
            </form>
          </>
        )}
        {message && <Notice tone={message.tone}>{message.text}</Notice>}
      </div>
    </Card>
  );
}
