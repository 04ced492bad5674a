"use client";

import { useQuery } from "@tanstack/react-query";
import { useDeferredValue, useState } from "react";
import { monitorKeys } from "@/components/monitor/query-keys";
import { fetchJson } from "@/components/query/fetch-json";
import { formatCount, formatTime } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import type { ChannelList as ChannelListData } from "@/lib/monitor/channels";
import { targetId, type WatchTarget } from "@/lib/live/protocol";

const REFRESH_MS = 5_000;

/** Channels with subscribers now (PUBSUB CHANNELS, NUMSUB, NUMPAT), refreshed; a click watches one. */
export function ChannelList({
  connectionId,
  watched,
  onWatch,
}: {
  connectionId: string;
  /** Target ids this page watches. */
  watched: Set<string>;
  onWatch: (target: WatchTarget) => void;
}) {
  const [match, setMatch] = useState("");
  const pattern = useDeferredValue(match.trim());
  const query = useQuery({
    queryKey: monitorKeys.channels(connectionId, pattern),
    queryFn: () => {
      const params = new URLSearchParams({ conn: connectionId });
      if (pattern) params.set("pattern", pattern);
      return fetchJson<ChannelListData>(`/api/monitor/channels?${params}`);
    },
    refetchInterval: REFRESH_MS,
  });
  const data = query.data;

  return (
    <div className="flex flex-col gap-3">
      <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
        Show names matching (glob)
        <input
          type="search"
          value={match}
          onChange={(event) => setMatch(event.target.value)}
          placeholder="*"
          className="rounded-lg border border-slate-300 bg-white px-3 py-2 font-mono font-normal"
        />
      </label>
      {query.isError && (
        <Notice tone={data ? "warning" : "error"}>
          {query.error.message}
          {data ? ` Showing the list from ${formatTime(query.dataUpdatedAt)}.` : ""}
        </Notice>
      )}
      {query.isPending && <p className="text-sm text-slate-500">Asking Redis for active channels…</p>}
      {data && (
        <>
          <p className="text-xs text-slate-500">
            <span data-testid="channel-count">
              {formatCount(data.channels.length)} active {data.channels.length === 1 ? "channel" : "channels"}
            </span>
            {" · "}
            <span data-testid="pattern-count" data-count={data.patterns}>
              {formatCount(data.patterns)} pattern {data.patterns === 1 ? "subscription" : "subscriptions"}
            </span>
            {" · refreshed every 5 s; counts include this console while it watches."}
          </p>
          {data.truncated && (
            <Notice tone="warning">
              Only the first {formatCount(data.channels.length)} are listed; narrow the match.
            </Notice>
          )}
          {data.channels.length === 0 ? (
            <p className="text-sm text-slate-500">
              No channel has subscribers{pattern ? ` among names matching ${pattern}` : ""} right now.
            </p>
          ) : (
            <ul className="max-h-72 divide-y divide-slate-100 overflow-auto rounded-lg border border-slate-200">
              {data.channels.map((channel) => {
                const target: WatchTarget = { kind: "channel", name: channel.name };
                const isWatched = watched.has(targetId(target));
                return (
                  <li key={channel.ref} data-testid="channel-row" data-name={channel.name}>
                    <button
                      type="button"
                      onClick={() => onWatch(target)}
                      disabled={isWatched}
                      title={isWatched ? "Watched" : `Watch ${channel.name}`}
                      className="flex w-full items-center justify-between gap-3 px-3 py-2 text-left text-sm hover:bg-slate-50 disabled:cursor-default disabled:bg-slate-50"
                    >
                      <span className="min-w-0 truncate font-mono text-slate-900">{channel.name}</span>
                      <span className="flex shrink-0 items-center gap-2 text-xs text-slate-500">
                        <span className="tabular-nums" data-testid="channel-subscribers">
                          {formatCount(channel.subscribers)}{" "}
                          {channel.subscribers === 1 ? "subscriber" : "subscribers"}
                        </span>
                        <span
                          className={`rounded px-1.5 py-0.5 font-medium ${isWatched ? "bg-emerald-50 text-emerald-700" : "bg-sky-50 text-sky-700"}`}
                        >
                          {isWatched ? "watching" : "watch"}
                        </span>
                      </span>
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
