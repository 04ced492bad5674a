"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef } from "react";
import type { FeedEvent } from "@/components/live/live-connection";
import { useLiveStream, type LiveStream } from "@/components/live/use-live-stream";
import { isHidden, onShown } from "@/components/live/visibility";
import { api, queryKeys } from "@/components/query/api";
import { fetchJson } from "@/components/query/fetch-json";
import type { WatchTarget } from "@/lib/live/protocol";
import type { MetricsSnapshot } from "@/lib/metrics/history";
import { METRICS_RANGES, type MetricsRange } from "@/lib/metrics/ranges";

export interface MetricsFeed {
  snapshot: MetricsSnapshot | undefined;
  error: Error | null;
  /** When the page last received the figures (either way). */
  updatedAt: number;
  /** true: the figures arrive over the tab's live stream; false: the page polls /api/metrics. */
  streaming: boolean;
  live: LiveStream;
}

/**
 * A range of the connection's charts (DESIGN.md: Live data). The history arrives over the tab's
 * one SSE stream, pushed after every sample; while that stream is down the page polls
 * GET /api/metrics through react-query at the range's pace instead, and goes back to the stream
 * as soon as it is open again. Both write the same query, so the charts never tell them apart.
 * While the tab is in the background the newest history waits and the charts stay as they are;
 * shown again, they draw it at once.
 */
export function useMetrics(connectionId: string, range: MetricsRange): MetricsFeed {
  const queryClient = useQueryClient();
  const waiting = useRef(new Map<MetricsRange, MetricsSnapshot>());
  const onFeed = useCallback(
    (event: FeedEvent) => {
      if (event.type !== "metrics" || event.data.snapshot.connectionId !== connectionId) return;
      if (isHidden()) waiting.current.set(event.data.range, event.data.snapshot);
      else queryClient.setQueryData(queryKeys.metrics(connectionId, event.data.range), event.data.snapshot);
    },
    [queryClient, connectionId],
  );
  useEffect(
    () =>
      onShown(() => {
        for (const [shown, snapshot] of waiting.current) {
          queryClient.setQueryData(queryKeys.metrics(connectionId, shown), snapshot);
        }
        waiting.current.clear();
      }),
    [queryClient, connectionId],
  );
  const live = useLiveStream(connectionId, { onFeed });
  const { watch, unwatch } = live;
  const target = useMemo<WatchTarget>(() => ({ kind: "metrics", name: range }), [range]);
  useEffect(() => {
    watch([target]);
    return () => unwatch([target]);
  }, [watch, unwatch, target]);

  const streaming =
    live.status === "open" && live.watching.some((t) => t.kind === "metrics" && t.name === range);
  const query = useQuery({
    queryKey: queryKeys.metrics(connectionId, range),
    queryFn: () => fetchJson(api.metrics(connectionId, range)),
    refetchInterval: streaming ? false : METRICS_RANGES[range].pollMs,
    refetchIntervalInBackground: false,
    staleTime: streaming ? Number.POSITIVE_INFINITY : 0,
  });
  return {
    snapshot: query.data,
    error: query.error,
    updatedAt: query.dataUpdatedAt,
    streaming,
    live,
  };
}
