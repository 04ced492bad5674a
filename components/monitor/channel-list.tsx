"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { memo, useDeferredValue, useState } from "react";
import { api, queryKeys } from "@/components/query/api";
import { fetchJson } from "@/components/query/fetch-json";
import { useFormat } from "@/components/ui/format";
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
  const t = useTranslations("monitor.channels");
  const f = useFormat();
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
        {t("showOwn")}
      </label>
      <SearchInput label={t("match")} value={match} onChange={setMatch} placeholder="*" mono />
      {query.isError && (
        <Notice tone={data ? "warning" : "error"}>
          {query.error.message}
          {data ? ` ${t("stale", { time: f.time(query.dataUpdatedAt) })}` : ""}
        </Notice>
      )}
      {query.isPending && <p className="text-sm text-slate-500">{t("asking")}</p>}
      {data && (
        <>
          <p className="text-xs text-slate-500">
            <span data-testid="channel-count">
              {t("active", { count: channels.length, n: f.count(channels.length) })}
              {hidden > 0 && t("hidden", { n: f.count(hidden) })}
            </span>
            {" · "}
            <span data-testid="pattern-count" data-count={data.patterns}>
              {t("patterns", { count: data.patterns, n: f.count(data.patterns) })}
            </span>
            {" · "}
            {t("refreshed", { seconds: REFRESH_MS / 1000 })}
          </p>
          {data.truncated && (
            <Notice tone="warning">{t("truncated", { n: f.count(data.channels.length) })}</Notice>
          )}
          {channels.length === 0 ? (
            <p className="text-sm text-slate-500">
              {pattern
                ? t.rich("noneMatching", { pattern, code: (chunks) => <code>{chunks}</code> })
                : t("none")}
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
                      title={isWatched ? t("watched") : undefined}
                      className="flex w-full items-center justify-between gap-3 px-3 py-2 text-left text-sm hover:bg-slate-50 disabled:cursor-default disabled:bg-slate-50"
                    >
                      <span
                        className="min-w-0 truncate font-mono text-slate-900"
                        translate="no"
                        title={isWatched ? undefined : channel.name}
                      >
                        {channel.name}
                      </span>
                      <span className="flex shrink-0 items-center gap-2 text-xs text-slate-500">
                        <span className="tabular-nums" data-testid="channel-subscribers">
                          {t("subscribers", { count: channel.subscribers, n: f.count(channel.subscribers) })}
                        </span>
                        <span
                          className={`rounded px-1.5 py-0.5 font-medium ${isWatched ? "bg-emerald-50 text-emerald-700" : "bg-sky-50 text-sky-700"}`}
                        >
                          {isWatched ? t("watchingBadge") : t("watchBadge")}
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
