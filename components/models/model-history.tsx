"use client";

import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState, useTransition, type ReactNode } from "react";
import { api, queryKeys } from "@/components/query/api";
import { fetchJson } from "@/components/query/fetch-json";
import { Button } from "@/components/ui/button";
import { useFormat } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import { ValueDisplay } from "@/components/values/value-view";
import { restoreModel, revertModelChange } from "@/lib/actions/models";
import { callAction } from "@/components/actions/call-action";
import type { Conflict } from "@/lib/models/types";

/** Field names and user names inside a sentence: Redis data, never translated. */
const data = (chunks: ReactNode) => (
  <span className="font-mono" translate="no">
    {chunks}
  </span>
);

interface Props {
  connectionId: string;
  keyRef: string;
  canEdit: boolean;
  readOnlyReason: string;
}

export function ModelHistory({ connectionId, keyRef, canEdit, readOnlyReason }: Props) {
  const t = useTranslations("models.history");
  const f = useFormat();
  const queryClient = useQueryClient();
  const [message, setMessage] = useState<{
    tone: "info" | "error" | "warning";
    text: string;
    conflicts?: Conflict[];
  } | null>(null);
  const [pending, startTransition] = useTransition();
  const query = useInfiniteQuery({
    queryKey: queryKeys.models.history(connectionId, keyRef),
    queryFn: ({ pageParam }) => {
      return fetchJson(api.modelHistory(keyRef, { conn: connectionId, count: 50, before: pageParam }));
    },
    initialPageParam: "",
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

  function run(kind: "revert" | "restore", entryId: string) {
    setMessage(null);
    startTransition(async () => {
      const action = kind === "revert" ? revertModelChange : restoreModel;
      const result = await callAction(action, { conn: connectionId, key: keyRef, entryId });
      if (result.ok) {
        setMessage({
          tone: "info",
          text:
            result.data.applied === 0
              ? t("nothingToChange")
              : t("applied", { kind, count: result.data.applied }),
        });
      } else {
        setMessage({
          tone: result.error.code === "CONFLICT" ? "warning" : "error",
          text: result.error.message,
          conflicts: result.error.code === "CONFLICT" ? (result.error.details as Conflict[]) : undefined,
        });
      }
      await queryClient.invalidateQueries({ queryKey: queryKeys.models.model(connectionId, keyRef) });
    });
  }

  if (query.isPending) return <p className="text-sm text-slate-500">{t("reading")}</p>;
  if (query.isError) return <Notice tone="error">{query.error.message}</Notice>;
  const entries = query.data.pages.flatMap((page) => page.entries);
  const drift = query.data.pages[0]?.drift ?? [];

  return (
    <div className="flex flex-col gap-4">
      {message && (
        <Notice tone={message.tone} title={message.conflicts ? t("nothingWritten") : undefined}>
          {message.text}
          {message.conflicts && (
            <ul className="mt-2 list-disc pl-5">
              {message.conflicts.map((c) => (
                <li key={c.field}>
                  {t.rich("conflict", {
                    field: c.fieldName,
                    data,
                    value: () => (c.current ? <ValueDisplay value={c.current} compact /> : t("nothing")),
                  })}
                </li>
              ))}
            </ul>
          )}
        </Notice>
      )}
      {drift.length > 0 && (
        <Notice tone="warning" title={t("driftTitle")}>
          {t.rich("drift", {
            count: drift.length,
            fields: drift
              .slice(0, 5)
              .map((d) => d.fieldName)
              .join(", "),
            more: drift.length > 5 ? "yes" : "no",
            data,
          })}
        </Notice>
      )}
      {entries.length === 0 ? (
        <Notice>{t("empty")}</Notice>
      ) : (
        <ol
          className="flex flex-col divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white shadow-sm"
          data-testid="history-list"
        >
          {entries.map((entry) => (
            <li
              key={entry.id}
              className="flex flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3 text-sm"
              data-testid="history-entry"
            >
              <span className="w-44 text-slate-500 tabular-nums">{f.time(entry.at)}</span>
              <span className="w-28 font-medium" translate="no">
                {entry.user}
              </span>
              <span className="w-16 rounded bg-slate-100 px-1.5 py-0.5 text-center text-xs">
                {t("op", { op: entry.op })}
              </span>
              <span className="min-w-32 font-mono" translate="no">
                {entry.fieldName}
              </span>
              <span className="flex min-w-0 flex-1 items-center gap-2">
                {entry.oldView ? (
                  <ValueDisplay value={entry.oldView} compact />
                ) : (
                  <em className="text-slate-400">{t("absent")}</em>
                )}
                <span aria-hidden>→</span>
                {entry.newView ? (
                  <ValueDisplay value={entry.newView} compact />
                ) : (
                  <em className="text-slate-400">{t("absent")}</em>
                )}
              </span>
              <span className="flex gap-2">
                <Button
                  variant="secondary"
                  className="px-2 py-1 text-xs"
                  disabled={!canEdit || pending}
                  title={canEdit ? t("revertTitle") : readOnlyReason}
                  onClick={() => run("revert", entry.id)}
                >
                  {t("revert")}
                </Button>
                <Button
                  variant="secondary"
                  className="px-2 py-1 text-xs"
                  disabled={!canEdit || pending}
                  title={canEdit ? t("restoreTitle") : readOnlyReason}
                  onClick={() => run("restore", entry.id)}
                >
                  {t("restore")}
                </Button>
              </span>
            </li>
          ))}
        </ol>
      )}
      {query.hasNextPage && (
        <div>
          <Button
            variant="secondary"
            onClick={() => query.fetchNextPage()}
            disabled={query.isFetchingNextPage}
          >
            {t("older")}
          </Button>
        </div>
      )}
    </div>
  );
}
