"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo } from "react";
import { useLiveStream, type FeedEvent, type LiveStream } from "@/components/live/use-live-stream";
import { fetchJson } from "@/components/query/fetch-json";
import type { WatchTarget } from "@/lib/live/protocol";
import type { MetricsSnapshot } from "@/lib/metrics/history";
import { METRICS_RANGES, type MetricsRange } from "@/lib/metrics/ranges";

export const metricsQueryKey = (connectionId: string, range: MetricsRange) =>
  ["connection", connectionId, "metrics", range] as const;

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
 */
export function useMetrics(connectionId: string, range: MetricsRange): MetricsFeed {
  const queryClient = useQueryClient();
  const onFeed = useCallback(
    (event: FeedEvent) => {
      if (event.type !== "metrics" || event.data.snapshot.connectionId !== connectionId) return;
      queryClient.setQueryData(metricsQueryKey(connectionId, event.data.range), event.data.snapshot);
    },
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
    queryKey: metricsQueryKey(connectionId, range),
    queryFn: () =>
      fetchJson<MetricsSnapshot>(`/api/metrics?${new URLSearchParams({ conn: connectionId, range })}`),
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
