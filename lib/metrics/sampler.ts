import "server-only";
import { subscribeFeed } from "@/lib/metrics/feed";
import type { MetricsHistory, MetricsLatest, SamplerRole } from "@/lib/metrics/history";
import { InfoReader, type RecentInfo } from "@/lib/metrics/info-reader";
import { acquireLease, processToken, releaseLease, renewLease } from "@/lib/metrics/lease";
import type { MetricsRange } from "@/lib/metrics/ranges";
import { ownCallsFor } from "@/lib/metrics/own-counters";
import { prepareMark } from "@/lib/metrics/own-marks";
import { OwnSettler } from "@/lib/metrics/own-settle";
import { ownTrafficForSample } from "@/lib/metrics/own-share";
import { isGap, toSample, type Sample, type SeriesPoint } from "@/lib/metrics/sample";
import { NodeSeries } from "@/lib/metrics/node-series";
import { MetricsSeries } from "@/lib/metrics/series";
import { writeMinute, writeSecond } from "@/lib/metrics/store";
import { StoredPoints } from "@/lib/metrics/stored-points";
import { WriteQueue } from "@/lib/metrics/write-queue";
import { toAppError } from "@/lib/redis/errors";

// A metrics sampler for one Redis connection (DESIGN.md: Live data; one per process, from
// lib/metrics/samplers.ts). It reads INFO once a second while somebody watches — whatever the
// number of viewers — and stops a grace period after the last one leaves. Across console instances
// a lease in console state elects the one that reads INFO; the others follow the points it writes
// (lib/metrics/stored-points.ts). Points live in memory (lib/metrics/series.ts) and in console
// state, which a starting sampler loads.

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
  /** The points of other instances and of earlier runs, from console state. */
  private readonly stored: StoredPoints;
  private readonly writes: WriteQueue;
  private readonly info: InfoReader;
  private readonly listeners = new Set<() => void>();
  /** The newest INFO this instance read, per data node, for the Overview's figures. */
  private lastInfo: RecentInfo | null = null;
  private readonly settler = new OwnSettler();
  /** The same INFO per node for the last hour, for the Cluster page (empty while following). */
  readonly nodeSeries: NodeSeries;

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
    this.nodeSeries = new NodeSeries(this.intervalMs);
    this.stored = new StoredPoints(connectionId, this.series, (point) => this.append(point, false));
    this.info = new InfoReader(connectionId);
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
  recentInfo(maxAgeMs: number, now = Date.now()): RecentInfo | null {
    return this.lastInfo && now - this.lastInfo.at <= maxAgeMs ? this.lastInfo : null;
  }

  // ---- running ----

  private ensureRunning(): void {
    if (this.running) return;
    this.running = true;
    const generation = ++this.generation;
    this.stopFeed = subscribeFeed(this.connectionId, {
      onPoint: (stored) => this.stored.receive(stored),
      onResume: () => {
        if (this.running) void this.stored.catchUp();
      },
    });
    this.starting = this.stored.load().finally(() => this.schedule(generation, 0));
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
      const mark = prepareMark(this.connectionId);
      const readings = await this.info.read(mark);
      const nodes = readings.map((reading) => reading.info);
      // Read after INFO's reply: the replies of reads sent before it on the same client came first.
      const own = await ownTrafficForSample(this.connectionId, this.token, mark);
      this.lastInfo = { at, nodes, readings };
      this.nodeSeries.append(readings, at);
      const read = toSample(nodes, at);
      const { by, shared, ...count } = own;
      const counted = { ...count, calls: ownCallsFor(read.calls, count.calls) };
      const whose = shared ? { by, shared } : { by };
      sample = { ...read, own: this.settler.settle(this.series.last(), read, whose, counted) };
    } catch {
      this.lastInfo = null;
      this.nodeSeries.markGap(at);
      this.recordUnreachable(at);
      return;
    }
    this.append(sample, true);
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
    this.stored.lastStreamId = await writeSecond(this.connectionId, point);
  }
}
