import "server-only";
import { hitCounterKey, hitCounterKeyPrefix, MINUTE_MS } from "@/lib/cache/hit-counter";
import {
  hitRateWindow,
  summarizeHitRates,
  windowMinutes,
  type HitRateRange,
  type MinuteCount,
  type NamespaceHitRate,
} from "@/lib/cache/namespace-hits-math";
import { statePrefix } from "@/lib/console-state";
import { runCommands } from "@/lib/keys/metadata";
import { withClient } from "@/lib/redis/gate";
import { displayBytes } from "@/lib/redis/keys";

// The Cache page's hit rate by namespace, read from the per-minute counter hashes that applications
// write into the data Redis (lib/cache/hit-counter.ts). One HSCAN per minute of the range — at most
// 1,440 for a day — in one pipeline (on a cluster, where the minutes sit in different slots, sent
// concurrently). HSCAN rather than HGETALL keeps a hash that grew huge from a misused namespace bounded.
// The page's live feed (lib/cache/hit-rates-feed.ts) keeps the minutes it read and reads again only
// the newest ones, so a 24-hour chart does not cost 1,440 HSCANs every few seconds.

/** Fields read per minute at most: 256 namespaces' hit and miss counters. */
const FIELDS_PER_MINUTE = 512;
const HIT = Buffer.from(":hit");
const MISS = Buffer.from(":miss");

export interface NamespaceHitRates {
  range: HitRateRange;
  /** Start of the window's first minute and end of its current minute, Unix ms. */
  from: number;
  to: number;
  /** Minutes per series point. */
  stepMinutes: number;
  /** Some counter hash exists in the window; false means no application records lookups (yet). */
  enabled: boolean;
  /** Busiest first (most reads in the window), at most MAX_CHARTED_NAMESPACES. */
  namespaces: NamespaceHitRate[];
  /** Namespaces with reads in the window that were left out. */
  otherNamespaces: number;
  /** Minutes whose hash held more fields than one read takes: their figures are incomplete. */
  partialMinutes: number;
  /** The counter keys' prefix, for the page's "how to enable" text. */
  keyPrefix: string;
}

function endsWith(field: Buffer, suffix: Buffer): boolean {
  return field.length > suffix.length && field.subarray(field.length - suffix.length).equals(suffix);
}

/** One minute's HSCAN page as counts; a field outside the convention is skipped. */
function parseMinute(minute: number, fieldsAndValues: unknown[]): MinuteCount[] {
  const byNamespace = new Map<string, MinuteCount>();
  for (let i = 0; i + 1 < fieldsAndValues.length; i += 2) {
    const field = fieldsAndValues[i];
    const value = Number(String(fieldsAndValues[i + 1]));
    if (!Buffer.isBuffer(field) || !Number.isSafeInteger(value) || value <= 0) continue;
    const outcome = endsWith(field, HIT) ? "hits" : endsWith(field, MISS) ? "misses" : null;
    if (!outcome) continue;
    const name = field.subarray(0, field.length - (outcome === "hits" ? HIT : MISS).length);
    const namespace = displayBytes(name);
    let count = byNamespace.get(namespace);
    if (!count) {
      count = { minute, namespace, hits: 0, misses: 0 };
      byNamespace.set(namespace, count);
    }
    count[outcome] += value;
  }
  return [...byNamespace.values()];
}

/** One minute's counter hash as read: its counts, whether it exists, whether one page held it all. */
export interface MinuteRead {
  counts: MinuteCount[];
  /** The hash exists (has fields): some application records lookups. */
  exists: boolean;
  /** It held more fields than one read takes: the figures are incomplete. */
  partial: boolean;
}

/** The given minutes' hashes, one bounded HSCAN each, in one pipeline (concurrently on a cluster). */
export async function readMinutes(connectionId: string, minutes: number[]): Promise<Map<number, MinuteRead>> {
  const prefix = statePrefix();
  return withClient(connectionId, async (client) => {
    const replies = await runCommands(
      client,
      minutes.map((minute) => ["HSCAN", hitCounterKey(minute, prefix), "0", "COUNT", FIELDS_PER_MINUTE]),
    );
    const reads = new Map<number, MinuteRead>();
    replies.forEach((reply, index) => {
      const minute = minutes[index]!;
      // A reply error (someone else's non-hash key at this name) reads as no counters.
      if (!Array.isArray(reply) || !Array.isArray(reply[1]) || reply[1].length === 0) {
        reads.set(minute, { counts: [], exists: false, partial: false });
        return;
      }
      const counts = parseMinute(minute, reply[1] as unknown[]);
      reads.set(minute, { counts, exists: true, partial: String(reply[0]) !== "0" });
    });
    return reads;
  });
}

/** The counts of the given minutes (Prometheus reads the latest two). */
export async function readMinuteCounts(connectionId: string, minutes: number[]): Promise<MinuteCount[]> {
  const reads = await readMinutes(connectionId, minutes);
  return [...reads.values()].flatMap((read) => read.counts);
}

/** The range's figures from minutes already read; a minute not in `reads` counts as no counters. */
export function hitRatesFrom(
  range: HitRateRange,
  now: number,
  reads: ReadonlyMap<number, MinuteRead>,
): NamespaceHitRates {
  const window = hitRateWindow(range, now);
  const counts: MinuteCount[] = [];
  let enabled = false;
  let partialMinutes = 0;
  for (const minute of windowMinutes(window)) {
    const read = reads.get(minute);
    if (!read?.exists) continue;
    enabled = true;
    if (read.partial) partialMinutes++;
    counts.push(...read.counts);
  }
  return {
    range,
    from: window.firstMinute * MINUTE_MS,
    to: (window.lastMinute + 1) * MINUTE_MS,
    stepMinutes: window.stepMinutes,
    enabled,
    ...summarizeHitRates(window, counts),
    partialMinutes,
    keyPrefix: hitCounterKeyPrefix(statePrefix()),
  };
}

/** One range read whole: what GET /api/cache/hit-rates answers (the page's feed keeps minutes between reads). */
export async function readNamespaceHitRates(
  connectionId: string,
  range: HitRateRange,
  now = Date.now(),
): Promise<NamespaceHitRates> {
  const reads = await readMinutes(connectionId, windowMinutes(hitRateWindow(range, now)));
  return hitRatesFrom(range, now, reads);
}
