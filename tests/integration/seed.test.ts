import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { startRedisServer, type RedisServerHandle } from "../../scripts/lib/redis-server";
import {
  BIG_MODEL_KEY,
  EMBEDDING_DIMS,
  EMBEDDING_FIELD,
  EMBEDDING_MODEL_KEY,
  PREDICTIONS_STREAM,
  SCORERS_GROUP,
  seed,
  type SeedSummary,
} from "../../scripts/seed-data";
import { DATA_CHANNEL, RESULT_CHANNEL, startTraffic, type TrafficStats } from "../../scripts/traffic-sim";

const SCALE = 5000;
const BIG_MODEL_FIELDS = 2000;
/** Seeding an empty database lands on SCALE exactly; 1 % leaves room for a changed seed layout. */
const SCALE_TOLERANCE = SCALE * 0.01;
const TRAFFIC_MS = 3000;

let server: RedisServerHandle;
let client: Redis;

function infoCounter(info: string, name: string): number {
  const match = new RegExp(`^${name}:(\\d+)`, "m").exec(info);
  return Number(match?.[1] ?? Number.NaN);
}

async function clientCount(): Promise<number> {
  const list = await client.client("LIST");
  return String(list).trim().split("\n").length;
}

async function scorersPending(): Promise<number> {
  const groups = (await client.xinfo("GROUPS", PREDICTIONS_STREAM)) as unknown[][];
  const group = groups.find((fields) => fields[fields.indexOf("name") + 1] === SCORERS_GROUP);
  return Number(group?.[group.indexOf("pending") + 1] ?? 0);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

beforeAll(async () => {
  server = await startRedisServer();
  client = new Redis(server.url, { protocol: 2 });
});

afterAll(async () => {
  client?.disconnect();
  await server?.stop();
});

describe("seed", () => {
  let first: SeedSummary;

  beforeAll(async () => {
    first = await seed(client, { scale: SCALE, bigModelFields: BIG_MODEL_FIELDS });
  });

  it("writes the classic linear_regression hash and nothing else in it", async () => {
    expect(await client.hget("linear_regression", "coefficient")).toBe("1.5");
    expect(await client.hget("linear_regression", "intercept")).toBe("2.3");
    expect(await client.hlen("linear_regression")).toBe(2);
  });

  it("gives the big model exactly the requested number of fields", async () => {
    expect(await client.hlen(BIG_MODEL_KEY)).toBe(BIG_MODEL_FIELDS);
    expect(Number(await client.hget(BIG_MODEL_KEY, "w_00000"))).toSatisfy(Number.isFinite);
  });

  it(`pads the database to the requested scale (±${SCALE_TOLERANCE} keys)`, async () => {
    const size = await client.dbsize();
    expect(Math.abs(size - SCALE)).toBeLessThanOrEqual(SCALE_TOLERANCE);
    expect(first.dbSize).toBe(size);
  });

  it("stores the embedding centroid as raw little-endian float32 bytes", async () => {
    const blob = await client.hgetBuffer(EMBEDDING_MODEL_KEY, EMBEDDING_FIELD);
    expect(blob?.length).toBe(EMBEDDING_DIMS * 4);
    const values = Array.from({ length: EMBEDDING_DIMS }, (_, i) => blob?.readFloatLE(i * 4) ?? Number.NaN);
    expect(values.every(Number.isFinite)).toBe(true);
    expect(values.some((value) => value !== 0)).toBe(true);
  });

  it("caches result:<x> as x*x with a TTL, the way cached_calculation does", async () => {
    expect(await client.get("result:12")).toBe("144");
    expect(await client.ttl("result:12")).toBeGreaterThan(0);
  });

  it("leaves some predictions pending in the scorers group", async () => {
    expect(await scorersPending()).toBeGreaterThan(0);
  });

  it("writes the same data when run a second time", async () => {
    const sizeBefore = await client.dbsize();
    const second = await seed(client, { scale: SCALE, bigModelFields: BIG_MODEL_FIELDS });
    expect(await client.dbsize()).toBe(sizeBefore);
    expect(await client.hlen(BIG_MODEL_KEY)).toBe(BIG_MODEL_FIELDS);
    expect(await client.hlen("linear_regression")).toBe(2);
    expect(second.pendingEntries).toBe(first.pendingEntries);
  });
});

describe("traffic simulator", () => {
  const data = new Map<number, { value: number; ts: number }>();
  const results: { id: number; value: number; source_ts: number }[] = [];
  let listener: Redis;
  let baselineClients: number;
  let statsBefore: string;
  let statsAfter: string;
  let trafficStats: TrafficStats;

  beforeAll(async () => {
    listener = new Redis(server.url, { protocol: 2 });
    listener.on("message", (channel: string, message: string) => {
      const parsed = JSON.parse(message) as { id: number; value: number; ts: number; source_ts: number };
      if (channel === DATA_CHANNEL) data.set(parsed.id, parsed);
      else results.push(parsed);
    });
    await listener.subscribe(DATA_CHANNEL, RESULT_CHANNEL);
    baselineClients = await clientCount();
    statsBefore = await client.info("stats");

    const traffic = startTraffic(server.url, { rate: 100 });
    await sleep(TRAFFIC_MS);
    await traffic.stop();
    trafficStats = traffic.stats();
    statsAfter = await client.info("stats");
  });

  afterAll(() => listener?.disconnect());

  it("publishes on result_channel twice the value of each data_channel message", () => {
    const matched = results.filter((result) => data.has(result.id));
    expect(matched.length).toBeGreaterThanOrEqual(5);
    for (const result of matched) {
      const source = data.get(result.id);
      expect(result.value).toBe((source?.value ?? Number.NaN) * 2);
      expect(result.source_ts).toBe(source?.ts);
    }
  });

  it("moves both keyspace hits and keyspace misses", () => {
    expect(infoCounter(statsAfter, "keyspace_hits")).toBeGreaterThan(
      infoCounter(statsBefore, "keyspace_hits"),
    );
    expect(infoCounter(statsAfter, "keyspace_misses")).toBeGreaterThan(
      infoCounter(statsBefore, "keyspace_misses"),
    );
    expect(trafficStats.cacheHits).toBeGreaterThan(0);
    expect(trafficStats.cacheMisses).toBeGreaterThan(0);
  });

  it("closes all of its connections on stop()", async () => {
    // The server drops a connection just after answering QUIT, so give CLIENT LIST a moment.
    for (let attempt = 0; attempt < 20 && (await clientCount()) !== baselineClients; attempt++)
      await sleep(100);
    expect(await clientCount()).toBe(baselineClients);
  });
});
