import "server-only";
import { FeedViewers, type FeedViewer } from "@/lib/live/feed-viewers";
import { perConnection, Poller } from "@/lib/live/poller";
import { SLOWLOG_CHECK_MS, type SlowLogEvent } from "@/lib/live/protocol";
import { toAppError } from "@/lib/redis/errors";
import { findConnection } from "@/lib/redis/registry";
import { clampSlowLogLimit, readSlowLog, readSlowLogMark, type SlowLogReport } from "@/lib/slowlog/read";

// The Cache page's slow log as a live feed (DESIGN.md: Live data): one reader per connection in the
// process, whatever the number of tabs or the lengths they ask for. Every couple of seconds it asks
// each node for its newest entry id (SLOWLOG GET 1) and reads the whole log (SLOWLOG GET/LEN,
// CONFIG GET) only when one changed, or every half minute for thresholds changed by CONFIG SET.
// Each instance reads for its own tabs (see README).

export interface SlowLogReaderOptions {
  intervalMs?: number;
  graceMs?: number;
  /** How often the whole log is read even when no new entry was logged. */
  fullReadMs?: number;
}

const EVENT = "slowlog";

export class SlowLogReader {
  private readonly limits = new Map<number, FeedViewers>();
  /** The newest full read, of the longest length watched when it was made. */
  private report: SlowLogReport | null = null;
  private mark: string | null = null;
  private fullReadAt = 0;
  private readonly fullReadMs: number;
  readonly poller: Poller;

  constructor(
    readonly connectionId: string,
    options: SlowLogReaderOptions = {},
  ) {
    this.fullReadMs = options.fullReadMs ?? 30_000;
    this.poller = new Poller(() => this.read(), {
      intervalMs: options.intervalMs ?? SLOWLOG_CHECK_MS,
      graceMs: options.graceMs ?? 30_000,
      label: `slow log of "${connectionId}"`,
      onIdle: () => {
        this.report = null;
        this.mark = null;
      },
    });
  }

  /** A tab watches the newest `limit` entries: at once if they were read already, else after a read. */
  watch(limit: number, viewer: FeedViewer): { ready: Promise<void>; stop: () => void } {
    const length = clampSlowLogLimit(limit);
    let viewers = this.limits.get(length);
    if (!viewers) {
      viewers = new FeedViewers(EVENT);
      this.limits.set(length, viewers);
    }
    const release = this.poller.acquire();
    const ready = viewers.add(viewer) ? Promise.resolve() : this.poller.readNow();
    const watched = viewers;
    return {
      ready,
      stop: () => {
        watched.remove(viewer);
        if (watched.size === 0 && this.limits.get(length) === watched) this.limits.delete(length);
        release();
      },
    };
  }

  private async read(): Promise<void> {
    if (this.limits.size === 0) return;
    const limit = Math.max(...this.limits.keys());
    const now = Date.now();
    try {
      const mark = await readSlowLogMark(this.connectionId);
      const stale =
        !this.report ||
        mark !== this.mark ||
        this.report.limit < limit ||
        now - this.fullReadAt >= this.fullReadMs;
      if (stale) {
        this.report = await readSlowLog(this.connectionId, { limit });
        this.mark = mark;
        this.fullReadAt = now;
      }
    } catch (error) {
      const appError = toAppError(error);
      for (const [length, viewers] of this.limits) {
        viewers.fail((translate) =>
          JSON.stringify({
            connectionId: this.connectionId,
            limit: length,
            report: null,
            error: appError.toBody(translate),
          } satisfies SlowLogEvent),
        );
      }
      return;
    }
    const report = this.report;
    if (!report) return;
    for (const [length, viewers] of this.limits) {
      const event: SlowLogEvent = {
        connectionId: this.connectionId,
        limit: length,
        report: { ...report, entries: report.entries.slice(0, length), limit: length },
        error: null,
      };
      viewers.push(JSON.stringify(event));
    }
  }
}

const readers = perConnection<SlowLogReader>("__consoleSlowLogReaders");

/** The process's slow-log reader for a connection, made on first use. */
export function slowLogReader(connectionId: string, options?: SlowLogReaderOptions): SlowLogReader {
  const id = findConnection(connectionId).id;
  return readers.get(id, () => new SlowLogReader(id, options));
}

/** For tests and shutdown. */
export function closeSlowLogReaders(): Promise<void> {
  return readers.close();
}
