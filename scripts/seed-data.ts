// Realistic ML-team data for the demo, the tests and the benchmarks: model parameter hashes,
// cache entries with TTLs, prediction streams with a consumer group, and optional bulk padding.
// Every value comes from a fixed-seed generator, so running seed() twice writes the same data.
import type { ChainableCommander, Redis } from "ioredis";

export interface SeedOptions {
  /** Pad with bulk cache keys until the seed has written about this many keys in total. */
  scale?: number;
  /** Called after each batch; units are writes (one per key, plus one per field of the big model). */
  onProgress?: (done: number, total: number) => void;
  /** Fields in `model:feature_weights:v1` (default 100000). */
  bigModelFields?: number;
  /** Leave model hashes that already exist untouched, so edits made in the console survive a demo restart. */
  keepExistingModels?: boolean;
}

export interface SeedSummary {
  /** Model hashes written (skipped ones are not counted), `linear_regression` included. */
  modelHashes: number;
  modelHashesKept: number;
  bigModelFields: number;
  cacheKeys: number;
  streams: number;
  streamEntries: number;
  pendingEntries: number;
  paddingKeys: number;
  /** DBSIZE after seeding; other keys already in the database are included. */
  dbSize: number;
  elapsedMs: number;
}

export const BIG_MODEL_KEY = "model:feature_weights:v1";
export const EMBEDDING_MODEL_KEY = "model:embedding_encoder:v1";
export const EMBEDDING_FIELD = "centroid";
export const EMBEDDING_DIMS = 256;
export const PREDICTIONS_STREAM = "stream:predictions";
export const TRAINING_STREAM = "stream:training_events";
export const SCORERS_GROUP = "scorers";

const BIG_MODEL_BATCH = 1000;
const PADDING_BATCH = 5000;
/** Batches in flight at once: enough to keep Redis busy while the next batch is encoded. */
const PADDING_CONCURRENCY = 4;
const PREDICTION_ENTRIES = 300;
const TRAINING_ENTRIES = 200;
const DAY = 86_400;

/** mulberry32: tiny, fast and deterministic, which Math.random is not. */
function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** TTLs spread log-uniformly from five minutes to a day, like real cache entries. */
function ttlSeconds(random: () => number): number {
  return Math.round(300 * Math.pow(DAY / 300, random()));
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

function float32Blob(dims: number, random: () => number): Buffer {
  const blob = Buffer.alloc(dims * 4);
  for (let i = 0; i < dims; i++) blob.writeFloatLE(round(random() * 2 - 1, 6), i * 4);
  return blob;
}

/** Pipelines and transactions report per-command errors in their result; a seed must not skip them silently. */
async function execOrThrow(batch: ChainableCommander): Promise<void> {
  const results = (await batch.exec()) ?? [];
  const failed = results.find(([error]) => error);
  if (failed?.[0]) throw failed[0];
}

type ModelFields = Record<string, string | Buffer>;

/** Versions differ a little on purpose so the compare page has something to show. */
function modelHashes(): Map<string, ModelFields> {
  const churn = {
    algorithm: "gradient_boosting",
    framework: "xgboost",
    objective: "binary:logistic",
    trained_by: "maria.keller",
    feature_count: "42",
    early_stopping: "false",
    hyperparams: JSON.stringify({ subsample: 0.8, colsample_bytree: 0.9 }),
  };
  const fraud = {
    framework: "pytorch",
    architecture: JSON.stringify({ layers: [128, 64], activation: "relu" }),
    optimizer: "adam",
    batch_size: "512",
    use_batch_norm: "true",
    trained_by: "dev.patel",
  };
  return new Map<string, ModelFields>([
    ["linear_regression", { coefficient: "1.5", intercept: "2.3" }],
    [
      "model:churn_classifier:v1",
      {
        ...churn,
        learning_rate: "0.1",
        n_estimators: "100",
        max_depth: "6",
        auc: "0.812",
        dataset: "s3://ml-data/churn/2024-03-01/train.parquet",
        trained_at: "2024-03-04T09:12:00Z",
      },
    ],
    [
      "model:churn_classifier:v2",
      {
        ...churn,
        learning_rate: "0.05",
        n_estimators: "200",
        max_depth: "6",
        early_stopping: "true",
        auc: "0.836",
        dataset: "s3://ml-data/churn/2024-06-01/train.parquet",
        trained_at: "2024-06-03T14:40:00Z",
      },
    ],
    [
      "model:churn_classifier:v3",
      {
        ...churn,
        learning_rate: "0.03",
        n_estimators: "300",
        max_depth: "8",
        early_stopping: "true",
        auc: "0.851",
        threshold: "0.42",
        hyperparams: JSON.stringify({ subsample: 0.7, colsample_bytree: 0.8, min_child_weight: 3 }),
        dataset: "s3://ml-data/churn/2024-09-01/train.parquet",
        trained_at: "2024-09-02T08:05:00Z",
        trained_by: "li.wang",
      },
    ],
    [
      "model:fraud_detector:v1",
      {
        ...fraud,
        learning_rate: "0.001",
        epochs: "20",
        dropout: "0.2",
        threshold: "0.7",
        precision: "0.91",
        recall: "0.78",
        dataset: "gs://fraud-data/2024-q2/transactions.parquet",
      },
    ],
    [
      "model:fraud_detector:v2",
      {
        ...fraud,
        architecture: JSON.stringify({ layers: [256, 128, 64], activation: "relu" }),
        learning_rate: "0.0005",
        epochs: "35",
        dropout: "0.3",
        threshold: "0.65",
        precision: "0.93",
        recall: "0.82",
        dataset: "gs://fraud-data/2024-q3/transactions.parquet",
      },
    ],
    [
      "model:recommender:v1",
      {
        algorithm: "implicit_als",
        factors: "64",
        regularization: "0.01",
        iterations: "15",
        alpha: "40",
        implicit: "true",
        top_k: "20",
        item_count: "184223",
        trained_by: "sam.okafor",
        dataset: "s3://ml-data/interactions/2024-09/",
      },
    ],
    [
      EMBEDDING_MODEL_KEY,
      {
        architecture: JSON.stringify({ layers: [512, 256], activation: "gelu" }),
        tokenizer: "wordpiece",
        max_seq_len: "128",
        dims: String(EMBEDDING_DIMS),
        normalize: "true",
        vector_dtype: "float32",
        trained_by: "li.wang",
        [EMBEDDING_FIELD]: float32Blob(EMBEDDING_DIMS, rng(256)),
      },
    ],
  ]);
}

/** Deletes first so a rerun never leaves fields a previous version of the seed wrote. */
async function writeModels(redis: Redis, keepExisting: boolean): Promise<{ written: number; kept: number }> {
  let written = 0;
  let kept = 0;
  for (const [key, fields] of modelHashes()) {
    if (keepExisting && (await redis.exists(key)) === 1) {
      kept++;
      continue;
    }
    await execOrThrow(redis.multi().unlink(key).hset(key, fields));
    written++;
  }
  return { written, kept };
}

async function writeBigModel(redis: Redis, fields: number, advance: (n: number) => void): Promise<void> {
  await redis.unlink(BIG_MODEL_KEY);
  const random = rng(100_000);
  const width = Math.max(5, String(fields - 1).length);
  for (let start = 0; start < fields; start += BIG_MODEL_BATCH) {
    const end = Math.min(fields, start + BIG_MODEL_BATCH);
    const args: string[] = [];
    for (let i = start; i < end; i++) {
      args.push(`w_${String(i).padStart(width, "0")}`, String(round((random() - 0.5) * 0.2, 6)));
    }
    await redis.hset(BIG_MODEL_KEY, ...args);
    advance(end - start);
  }
}

/** The classic `cached_calculation` keys, plus embedding, inference and feature caches. */
function queueCacheKeys(pipeline: ChainableCommander): number {
  const random = rng(42);
  let count = 0;
  const set = (key: string, value: string, persistent: boolean) => {
    if (persistent) pipeline.set(key, value);
    else pipeline.set(key, value, "EX", ttlSeconds(random));
    count++;
  };
  for (let x = 1; x <= 200; x++) set(`result:${x}`, String(x * x), x <= 3);
  for (let id = 1; id <= 50; id++) {
    const vector = Array.from({ length: 16 }, () => round(random() * 2 - 1, 4));
    set(`cache:embeddings:${1000 + id}`, JSON.stringify(vector), id % 10 === 0);
  }
  const models = ["churn_classifier", "fraud_detector", "recommender"];
  for (let i = 1; i <= 120; i++) {
    const model = models[i % models.length] ?? "churn_classifier";
    const score = round(random(), 4);
    const hash = Array.from({ length: 40 }, () => Math.floor(random() * 16).toString(16)).join("");
    const body = {
      prediction: score > 0.5 ? 1 : 0,
      score,
      model,
      version: model === "churn_classifier" ? 3 : 1,
    };
    set(`cache:inference:${hash}`, JSON.stringify(body), false);
  }
  for (let id = 1; id <= 80; id++) {
    const features = {
      user_id: 5000 + id,
      sessions_7d: Math.floor(random() * 30),
      avg_basket: round(random() * 120, 2),
      country: ["DE", "US", "IN", "BR", "JP"][id % 5],
      is_premium: random() > 0.7,
    };
    set(`cache:features:user:${5000 + id}`, JSON.stringify(features), id % 20 === 0);
  }
  return count;
}

function streamFields(fields: Record<string, string>): string[] {
  return Object.entries(fields).flat();
}

function predictionFields(i: number, random: () => number): string[] {
  const models = ["churn_classifier:v3", "fraud_detector:v2", "recommender:v1"];
  return streamFields({
    model: models[i % models.length] ?? "churn_classifier:v3",
    input_id: `req-${100_000 + i}`,
    score: String(round(random(), 4)),
    latency_ms: String(round(4 + random() * 40, 1)),
  });
}

function trainingFields(i: number, random: () => number): string[] {
  const epoch = (i % 50) + 1;
  return streamFields({
    event: epoch === 50 ? "training_finished" : "epoch_end",
    model: "embedding_encoder:v1",
    epoch: String(epoch),
    loss: String(round(2.5 * Math.exp(-(epoch - 1) / 12) + random() * 0.05, 4)),
  });
}

/**
 * IDs spread over the past hour give the streams a believable history. One transaction, so a
 * traffic simulator running meanwhile cannot slip a newer entry in before the backdated ones.
 */
async function writeStreams(redis: Redis): Promise<{ entries: number; pending: number }> {
  const random = rng(7);
  const now = Date.now();
  const transaction = redis.multi().unlink(PREDICTIONS_STREAM, TRAINING_STREAM);
  for (let i = 0; i < PREDICTION_ENTRIES; i++) {
    const id = `${now - (PREDICTION_ENTRIES - i) * 12_000}-0`;
    transaction.xadd(PREDICTIONS_STREAM, id, ...predictionFields(i, random));
  }
  for (let i = 0; i < TRAINING_ENTRIES; i++) {
    const id = `${now - (TRAINING_ENTRIES - i) * 18_000}-0`;
    transaction.xadd(TRAINING_STREAM, id, ...trainingFields(i, random));
  }
  transaction.xgroup("CREATE", PREDICTIONS_STREAM, SCORERS_GROUP, "0");
  transaction.xgroup("CREATE", TRAINING_STREAM, "dashboards", "0");
  await execOrThrow(transaction);
  // Two scorers read part of the backlog and acknowledge most of it: pending > 0 and lag > 0.
  const pending = (await consume(redis, "scorer-1", 120, 100)) + (await consume(redis, "scorer-2", 60, 45));
  await redis.xreadgroup("GROUP", "dashboards", "board-1", "NOACK", "STREAMS", TRAINING_STREAM, ">");
  return { entries: PREDICTION_ENTRIES + TRAINING_ENTRIES, pending };
}

async function consume(redis: Redis, consumer: string, count: number, ack: number): Promise<number> {
  const reply = await redis.xreadgroup(
    "GROUP",
    SCORERS_GROUP,
    consumer,
    "COUNT",
    count,
    "STREAMS",
    PREDICTIONS_STREAM,
    ">",
  );
  const ids = (reply?.[0]?.[1] ?? []).map(([id]) => id);
  const toAck = ids.slice(0, ack);
  if (toAck.length > 0) await redis.xack(PREDICTIONS_STREAM, SCORERS_GROUP, ...toAck);
  return ids.length - toAck.length;
}

/** One padding key; the namespace mix (mostly strings, a few hashes) is fixed by the index. */
function queuePaddingKey(pipeline: ChainableCommander, i: number): void {
  const slot = i % 20;
  // Spread 1 h .. 1 day so the key count stays steady during a demo; every 10th key never expires.
  const ttl = 3600 + ((i * 7919) % (DAY - 3600));
  const persistent = i % 10 === 7;
  const put = (key: string, value: string) =>
    persistent ? pipeline.set(key, value) : pipeline.set(key, value, "EX", ttl);
  if (slot < 10) put(`cache:bulk:${i}`, `v${i}`);
  else if (slot < 13) put(`cache:session:${i}`, `{"user":${i % 50_000},"ttl":${ttl}}`);
  else if (slot < 16) put(`cache:features:item:${i}`, `[${i % 97},${i % 13},${i % 7}]`);
  else if (slot < 19) put(`result:batch:${i}`, String((i % 1000) * (i % 1000)));
  else {
    const key = `cache:profile:${i}`;
    pipeline.hset(key, "segment", `s${i % 12}`, "score", String((i % 1000) / 1000));
    if (!persistent) pipeline.expire(key, ttl);
  }
}

async function writePadding(redis: Redis, count: number, advance: (n: number) => void): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const start = next;
      const end = Math.min(count, start + PADDING_BATCH);
      next = end;
      const pipeline = redis.pipeline();
      for (let i = start; i < end; i++) queuePaddingKey(pipeline, i);
      await execOrThrow(pipeline);
      advance(end - start);
    }
  };
  await Promise.all(Array.from({ length: PADDING_CONCURRENCY }, worker));
}

export async function seed(redis: Redis, opts: SeedOptions = {}): Promise<SeedSummary> {
  const started = Date.now();
  const bigModelFields = opts.bigModelFields ?? 100_000;
  const models = modelHashes();
  const cachePipeline = redis.pipeline();
  const cacheKeys = queueCacheKeys(cachePipeline);
  const fixedKeys = models.size + 1 /* big model */ + cacheKeys + 2; /* streams */
  const paddingKeys = Math.max(0, (opts.scale ?? 0) - fixedKeys);
  const total = bigModelFields + fixedKeys + paddingKeys;
  let done = 0;
  const advance = (n: number) => {
    done += n;
    opts.onProgress?.(done, total);
  };

  const modelResult = await writeModels(redis, opts.keepExistingModels ?? false);
  advance(models.size);
  const keepBigModel = opts.keepExistingModels === true && (await redis.exists(BIG_MODEL_KEY)) === 1;
  if (keepBigModel) advance(bigModelFields);
  else await writeBigModel(redis, bigModelFields, advance);
  advance(1);

  await execOrThrow(cachePipeline);
  advance(cacheKeys);

  const streams = await writeStreams(redis);
  advance(2);

  await writePadding(redis, paddingKeys, advance);

  return {
    modelHashes: modelResult.written + (keepBigModel ? 0 : 1),
    modelHashesKept: modelResult.kept + (keepBigModel ? 1 : 0),
    bigModelFields: keepBigModel ? 0 : bigModelFields,
    cacheKeys,
    streams: 2,
    streamEntries: streams.entries,
    pendingEntries: streams.pending,
    paddingKeys,
    dbSize: await redis.dbsize(),
    elapsedMs: Date.now() - started,
  };
}
