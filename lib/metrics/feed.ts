import "server-only";
import { decodeFeedMessage, type StoredPoint } from "@/lib/metrics/codec";
import { feedChannel } from "@/lib/metrics/store";
import type { RedisClient } from "@/lib/redis/client";
import { createDedicatedStateClient } from "@/lib/redis/registry";

// One subscriber per console process on the console-state Redis, shared by the samplers of every
// connection: it carries the lease holder's 1-second points to the instances that follow it.
// Pub/sub does not replay, so after the subscriber reconnects each listener is told to catch up
// from the stream (`onResume`).

export interface FeedListener {
  onPoint: (stored: StoredPoint) => void;
  onResume: () => void;
}

interface Feed {
  client: RedisClient;
  listeners: Map<string, Set<FeedListener>>;
  dropped: boolean;
}

const globalFeed = globalThis as unknown as { __consoleMetricsFeed?: Feed };

function feed(): Feed {
  if (globalFeed.__consoleMetricsFeed) return globalFeed.__consoleMetricsFeed;
  // A connection of its own to wherever console state lives: a subscriber takes no other commands.
  const client = createDedicatedStateClient("metrics-feed");
  const state: Feed = { client, listeners: new Map(), dropped: false };
  state.client.on("message", (channel: string, message: string) => {
    const stored = decodeFeedMessage(message);
    if (!stored) return;
    for (const listener of state.listeners.get(channel) ?? []) listener.onPoint(stored);
  });
  state.client.on("close", () => {
    state.dropped = true;
  });
  state.client.on("ready", () => {
    if (!state.dropped) return;
    state.dropped = false;
    for (const listeners of state.listeners.values()) for (const listener of listeners) listener.onResume();
  });
  globalFeed.__consoleMetricsFeed = state;
  return state;
}

/** Listens to one connection's points; returns the function that stops listening. */
export function subscribeFeed(connectionId: string, listener: FeedListener): () => void {
  const state = feed();
  const channel = feedChannel(connectionId);
  let listeners = state.listeners.get(channel);
  if (!listeners) {
    listeners = new Set();
    state.listeners.set(channel, listeners);
    // Queued until the subscriber is connected (its commands wait rather than fail); ioredis
    // resubscribes by itself after a reconnect.
    void state.client.subscribe(channel).catch(() => undefined);
  }
  listeners.add(listener);
  return () => {
    if (!listeners.delete(listener) || listeners.size > 0) return;
    state.listeners.delete(channel);
    void state.client.unsubscribe(channel).catch(() => undefined);
  };
}

/** For tests and shutdown. */
export function closeFeed(): void {
  const state = globalFeed.__consoleMetricsFeed;
  delete globalFeed.__consoleMetricsFeed;
  // disconnect, not quit: QUIT would wait in the offline queue for as long as state is down.
  state?.client.disconnect();
}
