"use client";

import { keepPreviousData, useQuery, useQueryClient, type QueryKey } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import type { FeedEvent } from "@/components/live/live-connection";
import { useLiveStream } from "@/components/live/use-live-stream";
import { isHidden, onShown } from "@/components/live/visibility";
import { ApiError } from "@/components/query/fetch-json";
import { targetId, type WatchTarget } from "@/lib/live/protocol";

/** How long a page waits for the stream to bring its first figures before it reads the route. */
const FIRST_PUSH_WAIT_MS = 5_000;

/** What one feed event says: new figures, or why the server could not read them. */
export interface FeedUpdate<T> {
  data: T | null;
  error: { code: string; message: string } | null;
}

export interface FeedQuery<T> {
  data: T | undefined;
  /** The last read failed (over the stream or over HTTP); `data` is what was read before, if anything. */
  error: Error | null;
  isPending: boolean;
  isFetching: boolean;
  /** When the page last received the figures. */
  updatedAt: number;
  /** true: the figures arrive over the tab's live stream; false: the page polls the route. */
  streaming: boolean;
  /** Reads now over HTTP (a person asked). */
  refetch: () => void;
}

/**
 * Figures a server-side reader pushes over the tab's live stream (DESIGN.md: Live data), like the
 * metrics charts (components/metrics/use-metrics): the page watches `target` and each push is
 * written into the react-query cache under `queryKey`. While the stream is down the page reads the
 * route instead, every `fallbackMs`; once the stream carries the target it stops asking.
 * While the tab is in the background the newest figures wait, and are drawn when it is shown.
 */
export function useFeedQuery<T>({
  connectionId,
  target,
  queryKey,
  queryFn,
  select,
  fallbackMs,
}: {
  connectionId: string;
  /** Memoized by the caller: a new object watches again. */
  target: WatchTarget;
  queryKey: QueryKey;
  queryFn: () => Promise<T>;
  /** This feed's update in an event of the tab, or undefined when the event is not for it. */
  select: (event: FeedEvent) => FeedUpdate<T> | undefined;
  fallbackMs: number;
}): FeedQuery<T> {
  const queryClient = useQueryClient();
  const id = targetId(target);
  const [feedError, setFeedError] = useState<{ id: string; error: ApiError } | null>(null);
  const current = useRef({ select, queryKey, id });
  const waiting = useRef<{ key: QueryKey; data: T } | null>(null);
  useEffect(() => {
    current.current = { select, queryKey, id };
  }, [select, queryKey, id]);
  const onFeed = useCallback(
    (event: FeedEvent) => {
      const update = current.current.select(event);
      if (!update) return;
      const { queryKey: key, id: watched } = current.current;
      if (update.data !== null) {
        // A tab in the background keeps the newest figures and draws them when shown again.
        if (isHidden()) waiting.current = { key, data: update.data };
        else queryClient.setQueryData(key, update.data);
        setFeedError(null);
      } else if (update.error) {
        setFeedError({ id: watched, error: new ApiError(update.error.code, update.error.message, 0) });
      }
    },
    [queryClient],
  );
  useEffect(
    () =>
      onShown(() => {
        const shown = waiting.current;
        waiting.current = null;
        if (shown) queryClient.setQueryData(shown.key, shown.data);
      }),
    [queryClient],
  );
  const live = useLiveStream(connectionId, { onFeed });
  const { watch, unwatch } = live;
  useEffect(() => {
    watch([target]);
    return () => unwatch([target]);
  }, [watch, unwatch, target]);

  const streaming = live.status === "open" && live.watching.some((t) => targetId(t) === id);
  // The route is asked only when the stream cannot bring the figures: it is down or refused the
  // watch, or it has not brought them within FIRST_PUSH_WAIT_MS of the page opening. A page that
  // opens (or switches range) while the stream works waits for the reader's push, so twenty people
  // opening the page cost Redis no more than one.
  const [waitedLong, setWaitedLong] = useState(false);
  useEffect(() => {
    if (streaming) return;
    const timer = setTimeout(() => setWaitedLong(true), FIRST_PUSH_WAIT_MS);
    return () => clearTimeout(timer);
  }, [streaming]);
  const streamDown = live.status === "reconnecting" || live.status === "ended" || live.lastError !== null;
  const streamTakesIt = live.status === "open" && live.lastError === null;
  const query = useQuery({
    queryKey,
    queryFn,
    enabled: !streaming && (streamDown || (waitedLong && !streamTakesIt)),
    refetchInterval: streaming ? false : fallbackMs,
    refetchIntervalInBackground: false,
    staleTime: streaming ? Number.POSITIVE_INFINITY : 0,
    // Keep the previous target's figures on screen while the next ones load.
    placeholderData: keepPreviousData,
  });
  const pushedError = feedError?.id === id ? feedError.error : null;
  return {
    data: query.data,
    error: pushedError ?? query.error,
    isPending: query.isPending,
    isFetching: query.isFetching,
    updatedAt: query.dataUpdatedAt,
    streaming,
    refetch: () => void query.refetch(),
  };
}
