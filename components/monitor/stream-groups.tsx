"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Fragment, useState } from "react";
import { AckControls, CreateGroupForm } from "@/components/monitor/group-actions";
import { formatSpan } from "@/components/monitor/live-format";
import { api, queryKeys } from "@/components/query/api";
import { fetchJson } from "@/components/query/fetch-json";
import { formatCount, formatTime } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import { Table, type Column } from "@/components/ui/table";
import type { GroupView } from "@/lib/streams/groups";

const REFRESH_MS = 5_000;
const CONSUMER_COLUMNS: Column[] = [
  { label: "Consumer" },
  { label: "Pending", align: "right" },
  { label: "Idle", align: "right" },
];
const GROUP_COLUMNS: Column[] = [
  { label: "Group" },
  { label: "Consumers", align: "right" },
  { label: "Pending", align: "right" },
  { label: "Lag", align: "right" },
  { label: "Oldest pending idle", align: "right" },
  { label: "Last delivered" },
];

function lagText(group: GroupView): string {
  if (group.lag === null) return "unknown";
  return `${group.lagSource === "at-least" ? "≥ " : ""}${formatCount(group.lag)}`;
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
  return (
    <div className="flex flex-col gap-4 bg-slate-50/60 px-4 py-3">
      {group.consumers.length === 0 ? (
        <p className="text-sm text-slate-500">No consumer has read from this group yet.</p>
      ) : (
        <Table
          columns={CONSUMER_COLUMNS}
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
                <td className="py-1 font-mono">{consumer.name}</td>
                <td className="py-1 text-right tabular-nums">{formatCount(consumer.pending)}</td>
                <td className="py-1 text-right tabular-nums">{formatSpan(consumer.idleMs)}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {group.consumersTruncated && (
        <p className="text-xs text-amber-700">
          Showing {group.consumers.length} of {formatCount(group.consumerCount)} consumers.
        </p>
      )}
      {group.oldestPending && (
        <p className="text-sm text-slate-600">
          Oldest pending: <span className="font-mono">{group.oldestPending.id}</span>, held by{" "}
          <span className="font-mono">{group.oldestPending.consumer}</span>, idle{" "}
          {formatSpan(group.oldestPending.idleMs)}, delivered {formatCount(group.oldestPending.deliveries)}{" "}
          {group.oldestPending.deliveries === 1 ? "time" : "times"}.
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
          {data ? ` Showing the groups as of ${formatTime(query.dataUpdatedAt)}.` : ""}
        </Notice>
      )}
      {query.isPending && <p className="text-sm text-slate-500">Reading consumer groups…</p>}
      {data && data.groups.length === 0 && (
        <p className="text-sm text-slate-500">This stream has no consumer groups.</p>
      )}
      {data && data.groups.length > 0 && (
        <Table
          columns={GROUP_COLUMNS}
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
                        {group.name}
                      </button>
                    </td>
                    <td className="px-3 py-2 text-right tabular-nums">{formatCount(group.consumerCount)}</td>
                    <td className="px-3 py-2 text-right tabular-nums" data-testid="group-pending">
                      {formatCount(group.pending)}
                    </td>
                    <td
                      className="px-3 py-2 text-right tabular-nums"
                      data-testid="group-lag"
                      title={group.lagSource === "redis" ? "as Redis reports it" : "counted by the console"}
                    >
                      {lagText(group)}
                    </td>
                    <td className="px-3 py-2 text-right tabular-nums" data-testid="group-oldest-idle">
                      {group.oldestPending ? formatSpan(group.oldestPending.idleMs) : "—"}
                    </td>
                    <td className="px-3 py-2 font-mono text-xs text-slate-600">{group.lastDeliveredId}</td>
                  </tr>
                  {expanded && (
                    <tr>
                      <td colSpan={GROUP_COLUMNS.length} className="p-0">
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
      {data?.truncated && <p className="text-xs text-amber-700">Only the first 100 groups are shown.</p>}
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
