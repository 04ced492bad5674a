// A traffic simulator so every chart in the console moves: cache reads with a drifting hit rate,
// counted per namespace the way an application would (lib/cache/hit-counter.ts), pub/sub messages
// through a small processor, a prediction stream with a lagging consumer group, and an occasional
// model-parameter change made "by someone else".
import { Redis } from "ioredis";
import { cached, recordLookup } from "../lib/cache/hit-counter";

export interface TrafficOptions {
  /**
   * `result:` cache lookups per second (default 50); embedding lookups run at a fifth of that.
   * Pub/sub and stream traffic run at a few per second.
   */
  rate?: number;
  log?: (line: string) => void;
}

export interface TrafficStats {
  uptimeMs: number;
  cacheLookups: number;
  cacheHits: number;
  cacheMisses: number;
  /** Hits over lookups since start; null before the first lookup. */
  hitRate: number | null;
  published: number;
  processed: number;
  streamAdded: number;
  streamAcked: number;
  paramUpdates: number;
  errors: number;
}

export interface TrafficHandle {
  stop: () => Promise<void>;
  stats: () => TrafficStats;
}

export const DATA_CHANNEL = "data_channel";
export const RESULT_CHANNEL = "result_channel";
const PREDICTIONS_STREAM = "stream:predictions";
const TRAINING_STREAM = "stream:training_events";
const GROUP = "scorers";
const HOT_KEYS = 200;
const TAIL_KEYS = 1_000_000;
/** Embedding ids looked up, uniformly; the seed caches 1001–1050 (scripts/seed-data.ts). */
const EMBEDDING_IDS = 1_000;
const LIVE_MODELS = ["churn_classifier:v3", "fraud_detector:v2", "recommender:v1"];

type Counters = Omit<TrafficStats, "uptimeMs" | "hitRate">;

/** What every traffic source shares: the command connection, counters and lifecycle helpers. */
interface Sim {
  cmd: Redis;
  counters: Counters;
  elapsed: () => number;
  isStopped: () => boolean;
  /** Runs `task` on a fixed period, skipping a tick while the previous one is still running. */
  every: (name: string, periodMs: number, task: () => Promise<void>) => void;
  /** Keeps a promise in the set stop() waits for. */
  track: (name: string, work: Promise<unknown>) => void;
  schedule: (delayMs: number, fn: () => void) => void;
  log: (line: string) => void;
}

function randomInt(min: number, max: number): number {
  return min + Math.floor(Math.random() * (max - min + 1));
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

function streamFields(fields: Record<string, string>): string[] {
  return Object.entries(fields).flat();
}

/**
 * Share of lookups that go to the long tail (nearly always misses). Two slow waves keep the
 * hit rate between about 70 % and 90 % and make the chart drift instead of sitting flat.
 */
function tailShare(elapsedMs: number): number {
  const t = elapsedMs / 1000;
  return 0.2 + 0.07 * Math.sin((2 * Math.PI * t) / 180) + 0.03 * Math.sin((2 * Math.PI * t) / 47);
}

/** Hot keys skew toward small x, the way a few inputs dominate real workloads. */
function drawCacheKey(elapsedMs: number): number {
  if (Math.random() < tailShare(elapsedMs)) return randomInt(HOT_KEYS + 1, TAIL_KEYS);
  return 1 + Math.floor(HOT_KEYS * Math.random() ** 2);
}

/** Consumers read a little faster or slower than producers over a 90 s cycle, so lag rises and falls. */
function consumerBatch(elapsedMs: number): number {
  return Math.max(1, Math.round(5 + 3 * Math.sin((2 * Math.PI * elapsedMs) / 90_000) + randomInt(-1, 1)));
}

// The classic cached_calculation: GET result:<x>; on a miss compute x*x and cache it for a while.
// Each lookup is also counted under the "result" namespace, for the Cache page's hit rate by namespace.
function runCacheReads(sim: Sim, rate: number): void {
  const { cmd, counters } = sim;
  const cachedCalculation = async (x: number) => {
    const key = `result:${x}`;
    counters.cacheLookups++;
    const hit = (await cmd.get(key)) !== null;
    await recordLookup(cmd, "result", hit);
    if (hit) {
      counters.cacheHits++;
      return;
    }
    counters.cacheMisses++;
    await cmd.set(key, String(x * x), "EX", randomInt(60, 600));
  };
  let carry = 0;
  sim.every("cache lookup", 100, async () => {
    carry += rate / 10;
    const lookups = Math.floor(carry);
    carry -= lookups;
    const at = sim.elapsed();
    await Promise.all(Array.from({ length: lookups }, () => cachedCalculation(drawCacheKey(at))));
  });
}

/**
 * Embedding lookups through the counted `cached` helper, a fifth as often as results. Ids are drawn
 * uniformly and a vector lives about as long as it takes to be asked for again, so this namespace
 * settles near a 50 % hit rate, well apart from results' 70–90 %.
 */
function runEmbeddingReads(sim: Sim, rate: number): void {
  const perSecond = Math.max(1, rate / 5);
  const meanTtl = Math.round(EMBEDDING_IDS / perSecond);
  const embed = () => JSON.stringify(Array.from({ length: 16 }, () => round(Math.random() * 2 - 1, 4)));
  let carry = 0;
  sim.every("embedding lookup", 100, async () => {
    carry += perSecond / 10;
    const lookups = Math.floor(carry);
    carry -= lookups;
    await Promise.all(
      Array.from({ length: lookups }, () => {
        const key = `cache:embeddings:${1000 + randomInt(1, EMBEDDING_IDS)}`;
        const ttl = randomInt(Math.ceil(meanTtl * 0.6), Math.ceil(meanTtl * 1.4));
        return cached(sim.cmd, key, "cache:embeddings", ttl, embed);
      }),
    );
  });
}

/** A producer on data_channel and a processor that doubles each value onto result_channel. */
function runPubSub(sim: Sim, sub: Redis): void {
  const { cmd, counters } = sim;
  let id = 0;
  let sensor = 50;
  sim.every("publish", 250, async () => {
    sensor = round(Math.min(100, Math.max(0, sensor + (Math.random() - 0.5) * 4)), 3);
    id++;
    await cmd.publish(DATA_CHANNEL, JSON.stringify({ id, value: sensor, ts: Date.now() }));
    counters.published++;
  });
  sub.on("message", (_channel: string, message: string) => {
    let input: { id?: unknown; value?: unknown; ts?: unknown };
    try {
      input = JSON.parse(message) as typeof input;
    } catch {
      return; // Someone else's message on the channel; a real processor would skip it too.
    }
    if (typeof input.value !== "number" || sim.isStopped()) return;
    const output = { id: input.id, value: input.value * 2, source_ts: input.ts, ts: Date.now() };
    sim.track(
      "processor",
      cmd.publish(RESULT_CHANNEL, JSON.stringify(output)).then(() => counters.processed++),
    );
  });
  sim.track("subscribe", sub.subscribe(DATA_CHANNEL));
}

/** Predictions flow into the stream; two scorers read and acknowledge most of them. */
function runPredictionStream(sim: Sim): void {
  const { cmd, counters } = sim;
  const started = Date.now();
  let n = 0;
  sim.every("stream add", 200, async () => {
    n++;
    const model = LIVE_MODELS[n % LIVE_MODELS.length] ?? "churn_classifier:v3";
    const score = String(round(Math.random(), 4));
    const latency = String(round(3 + Math.random() ** 3 * 80, 1));
    const fields = { model, input_id: `live-${started}-${n}`, score, latency_ms: latency };
    await cmd.xadd(PREDICTIONS_STREAM, "MAXLEN", "~", 10_000, "*", ...streamFields(fields));
    counters.streamAdded++;
  });

  sim.every("stream consume", 1000, async () => {
    const consumer = `scorer-${randomInt(1, 2)}`;
    const count = consumerBatch(sim.elapsed());
    const reply = await cmd
      .xreadgroup("GROUP", GROUP, consumer, "COUNT", count, "STREAMS", PREDICTIONS_STREAM, ">")
      .catch(async (error: unknown) => {
        // The stream was recreated (a re-seed) or never seeded: bring the group back and go on.
        if (!String(error).includes("NOGROUP")) throw error;
        await cmd.xgroup("CREATE", PREDICTIONS_STREAM, GROUP, "$", "MKSTREAM").catch(() => undefined);
        return null;
      });
    const ids = (reply?.[0]?.[1] ?? []).map(([id]) => id);
    // About one in ten stays pending, as if a scorer crashed mid-message.
    const acked = ids.filter(() => Math.random() < 0.9);
    if (acked.length > 0) counters.streamAcked += await cmd.xack(PREDICTIONS_STREAM, GROUP, ...acked);
  });

  // A third scorer takes over messages idle for a minute, so pending stays bounded in long demos.
  sim.every("stream reclaim", 15_000, async () => {
    const reply = await cmd.xautoclaim(
      PREDICTIONS_STREAM,
      GROUP,
      "scorer-3",
      60_000,
      "0-0",
      "COUNT",
      50,
      "JUSTID",
    );
    const claimed = reply[1];
    const ids = Array.isArray(claimed) ? claimed.filter((id): id is string => typeof id === "string") : [];
    if (ids.length > 0) counters.streamAcked += await cmd.xack(PREDICTIONS_STREAM, GROUP, ...ids);
  });
}

function runTrainingEvents(sim: Sim): void {
  let epoch = 0;
  sim.every("training event", 5000, async () => {
    epoch = (epoch % 50) + 1;
    const loss = String(round(2.5 * Math.exp(-epoch / 12) + Math.random() * 0.05, 4));
    const event = epoch === 50 ? "training_finished" : "epoch_end";
    const fields = { event, model: "embedding_encoder:v1", epoch: String(epoch), loss };
    await sim.cmd.xadd(TRAINING_STREAM, "MAXLEN", "~", 5000, "*", ...streamFields(fields));
  });
}

/** Outside changes for the parameter-history pages: a tuning job nudging a few values now and then. */
function runParamChanges(sim: Sim): void {
  const { cmd } = sim;
  let turn = 0;
  // Each change touches only a hash that exists, so an unseeded Redis does not grow stray models.
  const changes: (() => Promise<string | null>)[] = [
    async () => {
      const key = "model:churn_classifier:v3";
      if (!(await cmd.exists(key))) return null;
      const delta = turn % 2 === 0 ? 0.001 : -0.001; // Alternating keeps the value near its seed.
      return `${key} learning_rate → ${await cmd.hincrbyfloat(key, "learning_rate", delta)}`;
    },
    async () => {
      const key = "model:fraud_detector:v2";
      if (!(await cmd.exists(key))) return null;
      const threshold = String(round(0.6 + Math.random() * 0.1, 2));
      await cmd.hset(key, "threshold", threshold);
      return `${key} threshold → ${threshold}`;
    },
    async () => {
      const key = "model:recommender:v1";
      if (!(await cmd.exists(key))) return null;
      const regularization = String(round(0.005 + Math.random() * 0.01, 4));
      await cmd.hset(key, "regularization", regularization);
      return `${key} regularization → ${regularization}`;
    },
  ];
  const next = () =>
    sim.schedule(randomInt(20_000, 30_000), () => {
      const change = changes[turn % changes.length];
      turn++;
      if (!change) return;
      const work = change().then((line) => {
        if (line === null) return;
        sim.counters.paramUpdates++;
        sim.log(`param update: ${line}`);
      });
      sim.track("param update", work.finally(next));
    });
  next();
}

/** Quit politely when connected; otherwise (or if QUIT hangs) drop the socket. */
async function closeClient(client: Redis): Promise<void> {
  if (client.status === "ready") {
    await Promise.race([client.quit().catch(() => undefined), new Promise((r) => setTimeout(r, 1000))]);
  }
  client.disconnect();
}

export function startTraffic(url: string, opts: TrafficOptions = {}): TrafficHandle {
  const log = opts.log ?? (() => undefined);
  const started = Date.now();
  // Fail fast instead of queueing when Redis is away, so stop() never waits on a dead server.
  const clientOptions = { protocol: 2, maxRetriesPerRequest: 1, commandTimeout: 2000 } as const;
  const cmd = new Redis(url, { ...clientOptions, connectionName: "traffic-sim" });
  const sub = new Redis(url, { ...clientOptions, connectionName: "traffic-sim:processor" });
  const counters: Counters = {
    cacheLookups: 0,
    cacheHits: 0,
    cacheMisses: 0,
    published: 0,
    processed: 0,
    streamAdded: 0,
    streamAcked: 0,
    paramUpdates: 0,
    errors: 0,
  };
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<unknown>>();
  let stopped = false;
  let lastErrorLog = 0;

  const reportError = (what: string, error: unknown) => {
    counters.errors++;
    if (stopped || Date.now() - lastErrorLog < 10_000) return; // A Redis restart must not flood the terminal.
    lastErrorLog = Date.now();
    const message = error instanceof Error ? error.message : String(error);
    log(`${what} failed: ${message} (${counters.errors} errors so far)`);
  };
  for (const client of [cmd, sub]) client.on("error", (error: unknown) => reportError("connection", error));

  const track = (name: string, work: Promise<unknown>) => {
    const settled = work
      .catch((error: unknown) => reportError(name, error))
      .finally(() => inFlight.delete(settled));
    inFlight.add(settled);
  };
  const sim: Sim = {
    cmd,
    counters,
    log,
    track,
    elapsed: () => Date.now() - started,
    isStopped: () => stopped,
    every: (name, periodMs, task) => {
      let busy = false;
      const timer = setInterval(() => {
        if (busy || stopped) return;
        busy = true;
        const run = task().finally(() => {
          busy = false;
        });
        track(name, run);
      }, periodMs);
      timers.add(timer);
    },
    schedule: (delayMs, fn) => {
      if (stopped) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!stopped) fn();
      }, delayMs);
      timers.add(timer);
    },
  };

  const rate = Math.max(1, opts.rate ?? 50);
  runCacheReads(sim, rate);
  runEmbeddingReads(sim, rate);
  runPubSub(sim, sub);
  runPredictionStream(sim);
  runTrainingEvents(sim);
  runParamChanges(sim);

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      stopped = true;
      // Node's clearTimeout clears intervals too.
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.allSettled([...inFlight]);
      await Promise.all([closeClient(sub), closeClient(cmd)]);
    })();
    return stopping;
  };

  const stats = (): TrafficStats => {
    const lookups = counters.cacheHits + counters.cacheMisses;
    return {
      uptimeMs: Date.now() - started,
      hitRate: lookups === 0 ? null : counters.cacheHits / lookups,
      ...counters,
    };
  };

  return { stop, stats };
}
