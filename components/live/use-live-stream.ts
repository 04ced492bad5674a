"use client";

// A component's handle on the tab's live channel for one connection (components/live/live-connection):
// what it watches, and the messages and feed events of the whole tab.

import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import {
  INITIAL_SNAPSHOT,
  liveConnection,
  type FeedListener,
  type LiveSnapshot,
  type MessagesListener,
  type Subscriber,
} from "@/components/live/live-connection";
import { targetId, type WatchTarget } from "@/lib/live/protocol";

const serverSnapshot = (): LiveSnapshot => INITIAL_SNAPSHOT;

export interface LiveStream extends LiveSnapshot {
  /** What this component asked to watch, confirmed by the server or not yet. */
  desired: WatchTarget[];
  watch(targets: WatchTarget[]): void;
  unwatch(targets: WatchTarget[]): void;
  /** Opens the stream again after the server ended it. */
  reconnect(): void;
}

/**
 * The tab's live stream for one connection. `onMessages` receives every batch (all watched
 * targets of the tab; filter what you need) and how many messages the server dropped; `onFeed`
 * every metrics and jobs event (again of the whole tab).
 */
export function useLiveStream(
  connectionId: string,
  { onMessages, onFeed }: { onMessages?: MessagesListener; onFeed?: FeedListener } = {},
): LiveStream {
  const connection = liveConnection(connectionId);
  const snapshot = useSyncExternalStore(connection.subscribe, connection.getSnapshot, serverSnapshot);
  const [desired, setDesired] = useState<WatchTarget[]>([]);
  const targets = useRef(new Map<string, WatchTarget>());
  const listener = useRef(onMessages);
  const feedListener = useRef(onFeed);
  useEffect(() => {
    listener.current = onMessages;
    feedListener.current = onFeed;
  }, [onMessages, onFeed]);

  const subscriber = useMemo<Subscriber>(
    () => ({
      targets: () => targets.current.values(),
      onMessages: (messages, dropped) => listener.current?.(messages, dropped),
      onFeed: (event) => feedListener.current?.(event),
    }),
    [],
  );
  useEffect(() => {
    connection.attach(subscriber);
    return () => connection.detach(subscriber);
  }, [connection, subscriber]);

  const watch = useCallback(
    (add: WatchTarget[]) => {
      connection.change(() => add.forEach((target) => targets.current.set(targetId(target), target)));
      setDesired([...targets.current.values()]);
    },
    [connection],
  );
  const unwatch = useCallback(
    (remove: WatchTarget[]) => {
      connection.change(() => remove.forEach((target) => targets.current.delete(targetId(target))));
      setDesired([...targets.current.values()]);
    },
    [connection],
  );
  const reconnect = useCallback(() => connection.reconnect(), [connection]);

  return { ...snapshot, desired, watch, unwatch, reconnect };
}
