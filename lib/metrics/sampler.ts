import "server-only";
import type { Redis } from "ioredis";
import type { StoredPoint } from "@/lib/metrics/codec";
import { closeFeed, subscribeFeed } from "@/lib/metrics/feed";
import type { MetricsHistory, MetricsLatest, MetricsSnapshot, SamplerRole } from "@/lib/metrics/history";
import { acquireLease, newInstanceToken, releaseLease, renewLease } from "@/lib/metrics/lease";
import type { MetricsRange } from "@/lib/metrics/ranges";
import { isGap, toSample, type Sample, type SeriesPoint } from "@/lib/metrics/sample";
import { BUCKETS_RING_CAPACITY, MetricsSeries, SECONDS_RING_CAPACITY } from "@/lib/metrics/series";
import { WriteQueue } from "@/lib/metrics/write-queue";
import {
  minutesStreamKey,
  readAfter,
  readNewest,
  secondsStreamKey,
  writeMinute,
  writeSecond,
} from "@/lib/metrics/store";
import { parseInfo, type InfoSections } from "@/lib/redis/info";
import { toAppError } from "@/lib/redis/errors";
import { ownReads } from "@/lib/redis/own-reads";
import { dataNodes, findConnection, readyClient } from "@/lib/redis/registry";

// One metrics sampler per Redis connection per console process (DESIGN.md: Live data). It reads
// INFO once a second while somebody watches — whatever the number of viewers — and stops a grace
// period after the last one leaves. Across console instances a lease in console state elects the
// one that reads INFO; the others follow the points it writes (lib/metrics/store.ts). Points live
// in memory (lib/metrics/series.ts) and in console state, which a starting sampler loads.

const HOUR_MS = 60 * 60_000;
const DAY_MS = 24 * HOUR_MS;
/** Sections the charts read; `server` for the uptime that tells a restart apart; `replication` for
 * the Overview's role, which reads the sampler's INFO rather than its own (lib/overview). */
const INFO_SECTIONS = ["server", "replication", "clients", "memory", "stats", "keyspace", "commandstats"];
/** Writes waiting for a slow or absent console state, at most (a minute of points). */
const WRITE_QUEUE_LIMIT = 60;
/** How long stopping waits for samples still being written to console state. */
const STOP_WRITES_WAIT_MS = 1_000;

export type { SamplerRole } from "@/lib/metrics/history";

export interface SamplerOptions {
  /** The instance's lease token; instances of one process share one unless a test sets its own. */
  token?: number;
  intervalMs?: number;
  /** How long the sampler keeps running after the last viewer left. */
  graceMs?: number;
  leaseMs?: number;
  /** The bucket of the 24-hour series (tests shorten it). */
  longBucketMs?: number;
}

export class MetricsSampler {
  readonly token: number;
  readonly intervalMs: number;
  readonly graceMs: number;
  readonly leaseMs: number;
  readonly longBucketMs: number;
  private readonly series: MetricsSeries;
  private role: SamplerRole = "stopped";
  private holdsLease = false;
  private running = false;
  /** Bumped by every start and stop, so a tick of an earlier run never schedules another. */
  private generation = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private ticking: Promise<void> | null = null;
  private starting: Promise<void> = Promise.resolve();
  private users = 0;
  private lastUse = 0;
  private stopFeed: (() => void) | null = null;
  /** Feed points held back while the stream is being read, so they land after the older points. */
  private held: StoredPoint[] | null = null;
  private lastStreamId: string | null = null;
  private readonly writes: WriteQueue;
  private infoSections = INFO_SECTIONS;
  private readonly listeners = new Set<() => void>();
  /** The newest INFO this instance read, per data node, for the Overview's figures. */
  private lastInfo: { at: number; nodes: InfoSections[] } | null = null;

  constructor(
    readonly connectionId: string,
    options: SamplerOptions = {},
  ) {
    this.token = options.token ?? processToken();
    this.intervalMs = options.intervalMs ?? 1_000;
    this.graceMs = options.graceMs ?? 60_000;
    this.leaseMs = options.leaseMs ?? 3_000;
    this.longBucketMs = options.longBucketMs ?? 60_000;
    this.series = new MetricsSeries({ intervalMs: this.intervalMs, longBucketMs: this.longBucketMs });
    this.writes = new WriteQueue(WRITE_QUEUE_LIMIT, (error) =>
      console.error(`[metrics] cannot store samples of "${connectionId}": ${toAppError(error).message}`),
    );
  }

  // ---- who uses it ----

  /** For a long-lived viewer (a live stream): samples until the returned function is called. */
  acquire(): () => void {
    this.users += 1;
    this.lastUse = Date.now();
    this.ensureRunning();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.users -= 1;
      this.lastUse = Date.now();
    };
  }

  /** For a polling viewer: keeps the sampler running for the grace period after this call. */
  touch(): void {
    this.lastUse = Date.now();
    this.ensureRunning();
  }

  /** Resolves once the history in console state is loaded (at once when already running). */
  ready(): Promise<void> {
    return this.starting;
  }

  get status(): { role: SamplerRole; users: number } {
    return { role: this.role, users: this.users };
  }

  /** Called after every new point, e.g. to push it to live streams. */
  onUpdate(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- what it shows ----

  history(range: MetricsRange, now = Date.now()): MetricsHistory {
    return this.series.history(range, now);
  }

  latest(now = Date.now()): MetricsLatest & { sampler: SamplerRole } {
    return { ...this.series.latest(now), sampler: this.role };
  }

  /** When the newest point (sample or gap mark) was taken; 0 before the first. */
  get lastAt(): number {
    return this.series.last()?.at ?? 0;
  }

  /** The INFO this instance read within `maxAgeMs`, if it is the one sampling; null otherwise. */
  recentInfo(maxAgeMs: number, now = Date.now()): { at: number; nodes: InfoSections[] } | null {
    return this.lastInfo && now - this.lastInfo.at <= maxAgeMs ? this.lastInfo : null;
  }

  // ---- running ----

  private ensureRunning(): void {
    if (this.running) return;
    this.running = true;
    const generation = ++this.generation;
    this.stopFeed = subscribeFeed(this.connectionId, {
      onPoint: (stored) => this.receive(stored),
      onResume: () => void this.catchUp(),
    });
    this.starting = this.load().finally(() => this.schedule(generation, 0));
  }

  /**
   * Stops sampling now and hands the lease over; once this resolves, the sampler sends Redis no
   * more commands (an INFO already under way has finished).
   */
  async stop(): Promise<void> {
    const ticking = this.ticking;
    await this.halt();
    await ticking;
    // The samples already taken are still being stored; a slow console state is not waited for long.
    await Promise.race([
      this.writes.idle(),
      new Promise((resolve) => setTimeout(resolve, STOP_WRITES_WAIT_MS)),
    ]);
  }

  private async halt(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.generation += 1;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.stopFeed?.();
    this.stopFeed = null;
    this.role = "stopped";
    await this.releaseHeldLease();
  }

  private async releaseHeldLease(): Promise<void> {
    if (!this.holdsLease) return;
    this.holdsLease = false;
    await releaseLease(this.connectionId, this.token).catch(() => undefined);
  }

  private schedule(generation: number, delayMs: number): void {
    if (generation !== this.generation) return;
    this.timer = setTimeout(() => {
      this.ticking = this.tick(generation)
        .catch((error: unknown) => {
          // A bug must not end sampling for good: report it and try again next second.
          console.error(`[metrics] sampler tick for "${this.connectionId}" failed:`, error);
          this.schedule(generation, this.intervalMs);
        })
        .finally(() => {
          this.ticking = null;
        });
    }, delayMs);
    this.timer.unref?.();
  }

  private async tick(generation: number): Promise<void> {
    const started = Date.now();
    if (this.users === 0 && started - this.lastUse >= this.graceMs) {
      await this.halt();
      return;
    }
    const sampling = await this.claimLease();
    // Stopped while the lease was being claimed: give back what the claim may have taken.
    if (generation !== this.generation) return this.releaseHeldLease();
    this.role = sampling ? "sampling" : "following";
    if (sampling) await this.sampleOnce();
    this.schedule(generation, Math.max(0, this.intervalMs - (Date.now() - started)));
  }

  /** Whether this instance should read INFO this tick. */
  private async claimLease(): Promise<boolean> {
    try {
      this.holdsLease = this.holdsLease
        ? await renewLease(this.connectionId, this.token, this.leaseMs)
        : await acquireLease(this.connectionId, this.token, this.leaseMs);
      return this.holdsLease;
    } catch {
      // Console state is unreachable, so the instances cannot agree: each samples for itself
      // rather than chart nothing. `holdsLease` stays as it was, to renew if state comes back.
      return true;
    }
  }

  private async sampleOnce(): Promise<void> {
    const at = Date.now();
    let sample: Sample;
    try {
      const nodes = await this.readInfo();
      // Read after INFO's reply: the replies of reads sent before it on the same client came first.
      const own = ownReads(this.connectionId);
      this.lastInfo = { at, nodes };
      sample = { ...toSample(nodes, at), own: { by: this.token, ...own } };
    } catch {
      this.lastInfo = null;
      this.recordUnreachable(at);
      return;
    }
    this.append(sample, true);
  }

  /** INFO from every data node; one node failing fails the sample, since a partial sum would lie. */
  private async readInfo(): Promise<InfoSections[]> {
    const nodes = dataNodes(await readyClient(this.connectionId));
    if (nodes.length === 0) throw new Error("No data node is known yet.");
    return Promise.all(nodes.map((node) => this.infoOf(node)));
  }

  private async infoOf(node: Redis): Promise<InfoSections> {
    try {
      return parseInfo(await node.info(...this.infoSections));
    } catch (error) {
      // Redis before 7.0 takes one section per INFO; "all" includes every section read here.
      if (this.infoSections.length === 1 || !(error instanceof Error) || !error.message.startsWith("ERR")) {
        throw error;
      }
      this.infoSections = ["all"];
      return parseInfo(await node.info("all"));
    }
  }

  /** One mark per outage: it opens the gap, the next sample closes it. */
  private recordUnreachable(at: number): void {
    const last = this.series.last();
    if (last && isGap(last) && last.gap === "unreachable") return;
    this.append({ at, gap: "unreachable" }, true);
  }

  // ---- the series ----

  /** Adds a point to memory; one sampled here is also stored, with the 24-hour buckets it closes. */
  private append(point: SeriesPoint, sampledHere: boolean): boolean {
    const storeBucket = (bucket: SeriesPoint) =>
      this.writes.push(() => writeMinute(this.connectionId, bucket));
    if (!this.series.append(point, sampledHere ? storeBucket : undefined)) return false;
    if (sampledHere) this.writes.push(() => this.storeSecond(point));
    this.notify();
    return true;
  }

  private notify(): void {
    for (const listener of this.listeners) {
      try {
        listener();
      } catch (error) {
        console.error("[metrics] an update listener failed:", error);
      }
    }
  }

  private async storeSecond(point: SeriesPoint): Promise<void> {
    this.lastStreamId = await writeSecond(this.connectionId, point);
  }

  // ---- following and loading ----

  private receive(stored: StoredPoint): void {
    if (this.held) {
      if (this.held.length < SECONDS_RING_CAPACITY) this.held.push(stored);
      return;
    }
    if (this.append(stored.point, false)) this.lastStreamId = stored.id;
  }

  /** Runs `read` with feed points held back, then adds them after what `read` added. */
  private async holdingFeed(read: () => Promise<void>): Promise<void> {
    if (this.held) return;
    this.held = [];
    try {
      await read();
    } catch {
      // Console state unreachable: carry on with what memory holds.
    }
    const held = this.held;
    this.held = null;
    for (const stored of held) this.receive(stored);
  }

  /** The recent history from console state: the day's buckets, then the hour's 1-second points. */
  private load(): Promise<void> {
    return this.holdingFeed(async () => {
      const [buckets, seconds] = await Promise.all([
        readNewest(minutesStreamKey(this.connectionId), BUCKETS_RING_CAPACITY),
        readNewest(secondsStreamKey(this.connectionId), SECONDS_RING_CAPACITY),
      ]);
      const now = Date.now();
      this.series.addStoredBuckets(
        buckets.map(({ point }) => point).filter((point) => point.at >= now - DAY_MS),
      );
      for (const { point } of seconds) if (point.at >= now - HOUR_MS) this.append(point, false);
      this.lastStreamId = seconds[seconds.length - 1]?.id ?? this.lastStreamId;
    });
  }

  /** After the feed connection dropped: the points written meanwhile, from the stream. */
  private catchUp(): Promise<void> {
    const after = this.lastStreamId;
    if (!this.running || !after) return Promise.resolve();
    return this.holdingFeed(async () => {
      for (const stored of await readAfter(
        secondsStreamKey(this.connectionId),
        after,
        SECONDS_RING_CAPACITY,
      )) {
        if (this.append(stored.point, false)) this.lastStreamId = stored.id;
      }
    });
  }
}

const globalSamplers = globalThis as unknown as {
  __consoleMetricsSamplers?: Map<string, MetricsSampler>;
  __consoleInstanceToken?: number;
};

/** This console process's lease token. */
export function processToken(): number {
  globalSamplers.__consoleInstanceToken ??= newInstanceToken();
  return globalSamplers.__consoleInstanceToken;
}

/** The process's sampler for a connection, created on first use (it starts on `acquire`/`touch`). */
export function metricsSampler(connectionId: string): MetricsSampler {
  const id = findConnection(connectionId).id;
  globalSamplers.__consoleMetricsSamplers ??= new Map();
  let sampler = globalSamplers.__consoleMetricsSamplers.get(id);
  if (!sampler) {
    sampler = new MetricsSampler(id);
    globalSamplers.__consoleMetricsSamplers.set(id, sampler);
  }
  return sampler;
}

/**
 * What a polling page gets: the range's history and the newest reading. Each call keeps the
 * connection's sampler running for its idle grace, so polling viewers keep it alive and it stops a
 * minute after the last one stops polling. No command runs against Redis here.
 */
export async function readMetrics(connectionId: string, range: MetricsRange): Promise<MetricsSnapshot> {
  const sampler = metricsSampler(connectionId);
  sampler.touch();
  await sampler.ready();
  return { connectionId: sampler.connectionId, history: sampler.history(range), latest: sampler.latest() };
}

/** For tests and shutdown: stops every sampler (handing their leases over) and the feed. */
export async function closeMetricsSamplers(): Promise<void> {
  const samplers = [...(globalSamplers.__consoleMetricsSamplers?.values() ?? [])];
  globalSamplers.__consoleMetricsSamplers?.clear();
  await Promise.all(samplers.map((sampler) => sampler.stop()));
  closeFeed();
}
