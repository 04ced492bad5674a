"use client";

import { useQuery } from "@tanstack/react-query";
import { memo, useDeferredValue, useState } from "react";
import { api, queryKeys } from "@/components/query/api";
import { fetchJson } from "@/components/query/fetch-json";
import { formatCount, formatTime } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import { SearchInput } from "@/components/ui/search-input";
import { targetId, type WatchTarget } from "@/lib/live/protocol";

const REFRESH_MS = 5_000;

/** Channels with subscribers now (PUBSUB CHANNELS, NUMSUB, NUMPAT), refreshed; a click watches one. */
export const ChannelList = memo(function ChannelList({
  connectionId,
  watched,
  onWatch,
  consolePrefix,
}: {
  connectionId: string;
  /** Target ids this page watches. */
  watched: Set<string>;
  onWatch: (target: WatchTarget) => void;
  /** The console's own channels (its metrics feed) start with this; hidden unless asked for. */
  consolePrefix: string;
}) {
  const [match, setMatch] = useState("");
  const [showOwn, setShowOwn] = useState(false);
  const pattern = useDeferredValue(match.trim());
  const query = useQuery({
    queryKey: queryKeys.monitor.channels(connectionId, pattern),
    queryFn: () => {
      return fetchJson(api.channels({ conn: connectionId, pattern }));
    },
    refetchInterval: REFRESH_MS,
  });
  const data = query.data;
  const own = (name: string) => consolePrefix !== "" && name.startsWith(consolePrefix);
  const hidden = showOwn ? 0 : (data?.channels.filter((channel) => own(channel.name)).length ?? 0);
  const channels = (data?.channels ?? []).filter((channel) => showOwn || !own(channel.name));

  return (
    <div className="flex flex-col gap-3">
      <label className="flex items-center gap-2 text-sm text-slate-600">
        <input type="checkbox" checked={showOwn} onChange={(event) => setShowOwn(event.target.checked)} />
        Show the console’s own channels
      </label>
      <SearchInput
        label="Show names matching (glob)"
        value={match}
        onChange={setMatch}
        placeholder="*"
        mono
      />
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
              {formatCount(channels.length)} active {channels.length === 1 ? "channel" : "channels"}
              {hidden > 0 && ` (and ${formatCount(hidden)} of the console’s own, hidden)`}
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
          {channels.length === 0 ? (
            <p className="text-sm text-slate-500">
              No channel has subscribers{pattern ? ` among names matching ${pattern}` : ""} right now.
            </p>
          ) : (
            <ul className="max-h-72 divide-y divide-slate-100 overflow-auto rounded-lg border border-slate-200">
              {channels.map((channel) => {
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
});
