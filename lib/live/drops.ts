import "server-only";

// Messages dropped from slow tabs' queues (lib/live/ring.ts), per Redis connection, since this
// process started: GET /metrics reports them as redis_console_live_dropped_messages_total. The hot
// path only adds to a number; the scrape turns the totals into a counter.

const globalDrops = globalThis as unknown as { __consoleLiveDrops?: Map<string, number> };

function drops(): Map<string, number> {
  globalDrops.__consoleLiveDrops ??= new Map();
  return globalDrops.__consoleLiveDrops;
}

export function countDroppedMessages(connectionId: string, count: number): void {
  if (count > 0) drops().set(connectionId, (drops().get(connectionId) ?? 0) + count);
}

/** Connection id → messages dropped so far. */
export function droppedMessageTotals(): ReadonlyMap<string, number> {
  return drops();
}
