import "server-only";
import { epochMinute } from "@/lib/cache/hit-counter";
import { readMinuteCounts } from "@/lib/cache/namespace-hits";
import type { ConsoleMetrics } from "@/lib/metrics/prometheus/registry";

// redis_console_namespace_lookups_total from the per-minute counter hashes applications write
// (lib/cache/hit-counter.ts). Each scrape reads the current and the previous minute and adds what
// grew since the last scrape, so the counter only rises (from this process's start). At most
// MAX_NAMESPACES namespaces get a label of their own, the first ones seen; the rest are summed
// under "(other)", so a misused namespace cannot explode the series.

export const MAX_NAMESPACES = 20;
export const OTHER_NAMESPACES = "(other)";

interface Seen {
  /** minute → "namespace:hits" → count already added. */
  minutes: Map<number, Map<string, number>>;
  named: Set<string>;
}

const globalSeen = globalThis as unknown as { __consolePromNamespaces?: Map<string, Seen> };

function seenOf(connectionId: string): Seen {
  globalSeen.__consolePromNamespaces ??= new Map();
  let seen = globalSeen.__consolePromNamespaces.get(connectionId);
  if (!seen)
    globalSeen.__consolePromNamespaces.set(connectionId, (seen = { minutes: new Map(), named: new Set() }));
  return seen;
}

function labelFor(seen: Seen, namespace: string): string {
  if (seen.named.has(namespace)) return namespace;
  if (seen.named.size >= MAX_NAMESPACES) return OTHER_NAMESPACES;
  seen.named.add(namespace);
  return namespace;
}

export async function collectNamespaceLookups(
  metrics: ConsoleMetrics,
  connectionId: string,
  now = Date.now(),
): Promise<void> {
  const current = epochMinute(now);
  const minutes = [current - 1, current];
  const counts = await readMinuteCounts(connectionId, minutes);
  const seen = seenOf(connectionId);
  for (const count of counts) {
    let added = seen.minutes.get(count.minute);
    if (!added) seen.minutes.set(count.minute, (added = new Map()));
    for (const result of ["hits", "misses"] as const) {
      const id = `${count.namespace}:${result}`;
      const grown = count[result] - (added.get(id) ?? 0);
      if (grown <= 0) continue;
      added.set(id, count[result]);
      metrics.namespaceLookups.inc(
        {
          connection: connectionId,
          namespace: labelFor(seen, count.namespace),
          result: result === "hits" ? "hit" : "miss",
        },
        grown,
      );
    }
  }
  for (const minute of seen.minutes.keys()) if (minute < current - 1) seen.minutes.delete(minute);
}
