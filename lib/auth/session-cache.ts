import "server-only";
import { stateKey } from "@/lib/console-state";
import type { RedisClient } from "@/lib/redis/client";
import { withState } from "@/lib/redis/gate";
import { createDedicatedStateClient } from "@/lib/redis/registry";

// Stored sessions this process checked a moment ago (lib/auth/session-store.ts readStoredSession).
// The check is a round trip to console state on every signed-in request, and it was most of the
// console's own cost per request (bench/RESULTS.md). Ending a session still ends it at once on
// every instance (DESIGN.md contract 9): whoever ends one publishes its id, and every instance
// drops it as the message arrives. An entry is trusted only
//   - while this process listens for those messages, and has since the entry was read (a
//     subscriber that reconnects drops every entry: a message published meanwhile is not replayed);
//   - for REMEMBER_MS at most, for a session whose keys went without a message (console state
//     flushed by hand).
//
//   channel  <prefix>sessions:ended   message: ended session ids, separated by spaces

const REMEMBER_MS = 2_000;
const LIMIT = 10_000;

interface Entry<T> {
  facts: T;
  at: number;
}

interface SessionCache {
  client: RedisClient;
  /** Whether the subscription is confirmed since the last (re)connection. */
  listening: boolean;
  entries: Map<string, Entry<unknown>>;
  /** Ids ended within REMEMBER_MS, by when: a check read before the end is not remembered after it. */
  ended: Map<string, number>;
}

const globalCache = globalThis as unknown as { __consoleSessionCache?: SessionCache };

const channel = () => stateKey("sessions", "ended");

function cache(): SessionCache {
  if (globalCache.__consoleSessionCache) return globalCache.__consoleSessionCache;
  const client = createDedicatedStateClient("sessions-ended");
  const state: SessionCache = { client, listening: false, entries: new Map(), ended: new Map() };
  client.on("message", (_channel: string, message: string) => {
    for (const id of message.split(" ")) forget(state, id);
  });
  const stopListening = () => {
    state.listening = false;
    state.entries.clear();
  };
  client.on("close", stopListening);
  client.on("reconnecting", stopListening);
  // Listening only once Redis confirmed the subscription: from then on, every end reaches us.
  const subscribe = () => {
    client.subscribe(channel()).then(
      () => {
        if (client.status === "ready") state.listening = true;
      },
      () => undefined,
    );
  };
  client.on("ready", subscribe);
  globalCache.__consoleSessionCache = state;
  return state;
}

function forget(state: SessionCache, id: string): void {
  if (!id) return;
  state.entries.delete(id);
  const now = Date.now();
  state.ended.set(id, now);
  for (const [old, at] of state.ended) {
    if (now - at < REMEMBER_MS) break;
    state.ended.delete(old);
  }
}

/** The facts checked for `id` a moment ago, if they can still be trusted; else undefined. */
export function rememberedSession<T>(id: string, now = Date.now()): T | undefined {
  const state = cache();
  if (!state.listening) return undefined;
  const entry = state.entries.get(id);
  if (!entry) return undefined;
  if (now - entry.at >= REMEMBER_MS) {
    state.entries.delete(id);
    return undefined;
  }
  return entry.facts as T;
}

/** Remembers what console state said of `id` (asked at `readAt`), unless it ended meanwhile. */
export function rememberSession<T>(id: string, facts: T, readAt: number): void {
  const state = cache();
  if (!state.listening) return;
  if (state.ended.has(id)) return;
  if (state.entries.size >= LIMIT) state.entries.clear();
  state.entries.set(id, { facts, at: readAt });
}

/**
 * Tells every instance (this one first) that these sessions ended; called once their keys are gone.
 * Never fails: if the message cannot go, the other instances' entries still lapse within REMEMBER_MS.
 */
export async function announceEnded(ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const state = cache();
  for (const id of ids) forget(state, id);
  await withState((client) => client.publish(channel(), ids.join(" "))).catch((error: unknown) =>
    console.error(`[sessions] could not announce ended sessions: ${(error as Error).message}`),
  );
}

/** Whether entries are used: this process hears every end (starts listening if it does not yet). */
export function isListeningForEndedSessions(): boolean {
  return cache().listening;
}
