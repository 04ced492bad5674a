"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { Fragment, useState } from "react";
import { AckControls, CreateGroupForm } from "@/components/monitor/group-actions";
import { api, queryKeys } from "@/components/query/api";
import { fetchJson } from "@/components/query/fetch-json";
import { useFormat } from "@/components/ui/format";
import type { Formatters } from "@/lib/i18n/format";
import { Notice } from "@/components/ui/notice";
import { Table } from "@/components/ui/table";
import type { GroupView } from "@/lib/streams/groups";

const REFRESH_MS = 5_000;
const GROUP_COLUMN_COUNT = 6;

/** The lag as a figure, "≥ n" when the console could only count a lower bound; null when unknown. */
function lagFigure(group: GroupView, f: Formatters): string | null {
  if (group.lag === null) return null;
  return `${group.lagSource === "at-least" ? "≥ " : ""}${f.count(group.lag)}`;
}

function GroupDetail({
  group,
  connectionId,
  streamRef,
  canManage,
  readOnlyReason,
  onChanged,
}: {
  group: GroupView;
  connectionId: string;
  streamRef: string;
  canManage: boolean;
  readOnlyReason: string;
  onChanged: () => void;
}) {
  const t = useTranslations("monitor.groups");
  const f = useFormat();
  return (
    <div className="flex flex-col gap-4 bg-slate-50/60 px-4 py-3">
      {group.consumers.length === 0 ? (
        <p className="text-sm text-slate-500">{t("noConsumer")}</p>
      ) : (
        <Table
          columns={[
            { label: t("consumer") },
            { label: t("pending"), align: "right" },
            { label: t("idle"), align: "right" },
          ]}
          headCell="py-1"
          scroll={false}
          className="max-w-2xl"
          testId="consumers-table"
        >
          <tbody>
            {group.consumers.map((consumer) => (
              <tr
                key={consumer.ref}
                className="border-t border-slate-200"
                data-testid="consumer-row"
                data-name={consumer.name}
              >
                <td className="py-1 font-mono" translate="no">
                  {consumer.name}
                </td>
                <td className="py-1 text-right tabular-nums">{f.count(consumer.pending)}</td>
                <td className="py-1 text-right tabular-nums">{f.span(consumer.idleMs)}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {group.consumersTruncated && (
        <p className="text-xs text-amber-700">
          {t("consumersTruncated", {
            shown: f.count(group.consumers.length),
            total: f.count(group.consumerCount),
          })}
        </p>
      )}
      {group.oldestPending && (
        <p className="text-sm text-slate-600">
          {t.rich("oldestPending", {
            id: group.oldestPending.id,
            consumer: group.oldestPending.consumer,
            idle: f.span(group.oldestPending.idleMs),
            count: group.oldestPending.deliveries,
            n: f.count(group.oldestPending.deliveries),
            data: (chunks) => (
              <span className="font-mono" translate="no">
                {chunks}
              </span>
            ),
          })}
        </p>
      )}
      {group.pending > 0 && (
        <AckControls
          connectionId={connectionId}
          streamRef={streamRef}
          group={group.name}
          oldestPendingId={group.oldestPending?.id ?? null}
          canManage={canManage}
          readOnlyReason={readOnlyReason}
          onDone={onChanged}
        />
      )}
    </div>
  );
}

/** Consumer groups with their consumers, pending counts, lag and the oldest pending entry's idle time. */
export function StreamGroups({
  connectionId,
  streamRef,
  canManage,
  readOnlyReason,
}: {
  connectionId: string;
  streamRef: string;
  canManage: boolean;
  readOnlyReason: string;
}) {
  const t = useTranslations("monitor.groups");
  const f = useFormat();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<string | null>(null);
  const query = useQuery({
    queryKey: queryKeys.monitor.streamGroups(connectionId, streamRef),
    queryFn: () => fetchJson(api.streamGroups(streamRef, connectionId)),
    refetchInterval: REFRESH_MS,
  });
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: queryKeys.monitor.stream(connectionId, streamRef) });
    void queryClient.invalidateQueries({ queryKey: queryKeys.monitor.streamsAll(connectionId) });
  };
  const data = query.data;

  return (
    <div className="flex flex-col gap-4">
      {query.isError && (
        <Notice tone={data ? "warning" : "error"}>
          {query.error.message}
          {data ? ` ${t("stale", { time: f.time(query.dataUpdatedAt) })}` : ""}
        </Notice>
      )}
      {query.isPending && <p className="text-sm text-slate-500">{t("reading")}</p>}
      {data && data.groups.length === 0 && <p className="text-sm text-slate-500">{t("none")}</p>}
      {data && data.groups.length > 0 && (
        <Table
          columns={[
            { label: t("group") },
            { label: t("consumers"), align: "right", className: "whitespace-nowrap" },
            { label: t("pending"), align: "right", className: "whitespace-nowrap" },
            { label: t("lag"), align: "right", className: "whitespace-nowrap" },
            { label: t("oldestIdle"), align: "right", className: "whitespace-nowrap" },
            { label: t("lastDelivered") },
          ]}
          head="band"
          headCell="px-3 py-2"
          className="min-w-[36rem]"
          frame="rounded-lg border border-slate-200"
          testId="groups-table"
        >
          <tbody>
            {data.groups.map((group) => {
              const expanded = open === group.ref;
              return (
                <Fragment key={group.ref}>
                  <tr className="border-t border-slate-100" data-testid="group-row" data-name={group.name}>
                    <td className="px-3 py-2">
                      <button
                        type="button"
                        onClick={() => setOpen(expanded ? null : group.ref)}
                        aria-expanded={expanded}
                        className="text-brand-700 inline-flex items-center gap-1 font-mono hover:underline"
                      >
                        <span aria-hidden className="w-3 text-slate-400">
                          {expanded ? "▾" : "▸"}
                        </span>
                        <span translate="no">{group.name}</span>
                      </button>
                    </td>
                    <td className="px-3 py-2 text-right tabular-nums">{f.count(group.consumerCount)}</td>
                    <td className="px-3 py-2 text-right tabular-nums" data-testid="group-pending">
                      {f.count(group.pending)}
                    </td>
                    <td
                      className="px-3 py-2 text-right tabular-nums"
                      data-testid="group-lag"
                      title={group.lagSource === "redis" ? t("lagRedis") : t("lagCounted")}
                    >
                      {lagFigure(group, f) ?? t("lagUnknown")}
                    </td>
                    <td className="px-3 py-2 text-right tabular-nums" data-testid="group-oldest-idle">
                      {group.oldestPending ? f.span(group.oldestPending.idleMs) : "—"}
                    </td>
                    <td className="px-3 py-2 font-mono text-xs text-slate-600" translate="no">
                      {group.lastDeliveredId}
                    </td>
                  </tr>
                  {expanded && (
                    <tr>
                      <td colSpan={GROUP_COLUMN_COUNT} className="p-0">
                        <GroupDetail
                          group={group}
                          connectionId={connectionId}
                          streamRef={streamRef}
                          canManage={canManage}
                          readOnlyReason={readOnlyReason}
                          onChanged={refresh}
                        />
                      </td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </Table>
      )}
      {data?.truncated && <p className="text-xs text-amber-700">{t("truncated", { n: f.count(100) })}</p>}
      <div className="border-t border-slate-100 pt-4">
        <CreateGroupForm
          connectionId={connectionId}
          streamRef={streamRef}
          canManage={canManage}
          readOnlyReason={readOnlyReason}
          onDone={refresh}
        />
        {!canManage && (
          <p className="mt-2 text-xs text-slate-500" data-testid="groups-disabled-reason">
            {readOnlyReason}
          </p>
        )}
      </div>
    </div>
  );
}
