"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import {
  DEFAULT_CAPACITY,
  MessageBuffer,
  RateTracker,
  type BufferedMessage,
  type RatePoint,
} from "@/components/monitor/message-buffer";
import { isHidden, onShown } from "@/components/live/visibility";
import type { LiveMessage } from "@/lib/live/protocol";

/** At most this often the table re-renders, however fast messages arrive. */
const RENDER_EVERY_MS = 150;

const SAMPLE_EVERY_MS = 1_000;

interface View {
  /** Newest first; frozen while paused. */
  messages: BufferedMessage[];
  held: number;
  received: number;
  dropped: number;
}

const EMPTY: View = { messages: [], held: 0, received: 0, dropped: 0 };

export interface MessageFeed extends View {
  paused: boolean;
  /** Messages that arrived since the pause (they are in the buffer, not on screen). */
  sincePaused: number;
  capacity: number;
  rates: RatePoint[];
  onMessages(messages: LiveMessage[], dropped: number): void;
  pause(): void;
  resume(): void;
  clear(): void;
  setCapacity(capacity: number): void;
  /** The whole buffer as JSON lines, oldest first. */
  jsonLines(): string;
}

/**
 * Live messages held in a ring buffer outside React, shown through a snapshot refreshed a few
 * times a second, so a fast channel costs the page a bounded amount of work.
 */
export function useMessageFeed({
  accept,
  initialCapacity = DEFAULT_CAPACITY,
  withRates = false,
}: {
  /** Which messages of the tab's stream this feed keeps. */
  accept: (message: LiveMessage) => boolean;
  initialCapacity?: number;
  withRates?: boolean;
}): MessageFeed {
  const [buffer] = useState(() => new MessageBuffer(initialCapacity));
  const [tracker] = useState(() => new RateTracker());
  const [view, setView] = useState<View>(EMPTY);
  const [paused, setPaused] = useState(false);
  const [pausedAt, setPausedAt] = useState(0);
  const [capacity, setCapacityState] = useState(initialCapacity);
  const [rates, setRates] = useState<RatePoint[]>([]);
  const pausedRef = useRef(false);
  const droppedRef = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const acceptRef = useRef(accept);
  useEffect(() => {
    acceptRef.current = accept;
  }, [accept]);

  const publish = useCallback(() => {
    timer.current = null;
    setView((current) => ({
      messages: pausedRef.current ? current.messages : buffer.newestFirst(),
      held: buffer.size,
      received: buffer.totalReceived,
      dropped: droppedRef.current,
    }));
  }, [buffer]);

  const onMessages = useCallback(
    (messages: LiveMessage[], dropped: number) => {
      const now = Date.now();
      let changed = dropped > 0;
      droppedRef.current += dropped;
      for (const message of messages) {
        if (!acceptRef.current(message)) continue;
        buffer.push(message);
        tracker.record(message.channel, message.payload.size, now);
        changed = true;
      }
      if (changed && !timer.current && !isHidden()) timer.current = setTimeout(publish, RENDER_EVERY_MS);
    },
    [buffer, tracker, publish],
  );

  useEffect(() => {
    const sample = () => {
      if (withRates && !isHidden()) setRates(tracker.series(Date.now()));
    };
    sample();
    const interval = setInterval(sample, SAMPLE_EVERY_MS);
    // Shown again: draw what arrived meanwhile at once, not at the next message.
    const stop = onShown(() => {
      sample();
      if (!timer.current) publish();
    });
    return () => {
      clearInterval(interval);
      stop();
    };
  }, [tracker, withRates, publish]);

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const pause = useCallback(() => {
    pausedRef.current = true;
    setPaused(true);
    setPausedAt(buffer.totalReceived);
  }, [buffer]);
  const resume = useCallback(() => {
    pausedRef.current = false;
    setPaused(false);
    publish();
  }, [publish]);
  const clear = useCallback(() => {
    buffer.clear();
    droppedRef.current = 0;
    setPausedAt(0);
    setView(EMPTY);
  }, [buffer]);
  const setCapacity = useCallback(
    (next: number) => {
      buffer.resize(next);
      setCapacityState(next);
      publish();
    },
    [buffer, publish],
  );
  const jsonLines = useCallback(() => buffer.toJsonLines(), [buffer]);

  return {
    ...view,
    paused,
    sincePaused: paused ? Math.max(0, view.received - pausedAt) : 0,
    capacity,
    rates,
    onMessages,
    pause,
    resume,
    clear,
    setCapacity,
    jsonLines,
  };
}
