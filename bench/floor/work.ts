// The floors' Redis work (issue 15): for each HTTP row of `npm run bench`, the commands the console's
// route sends to Redis (read from lib/ and checked with MONITOR), as plain ioredis calls, and a JSON
// body of the same shape, shaped by the same pure functions (the models rows: work-models.ts). The
// bare Next route handlers under bench/floor/app and the bare node:http server
// (bench/floor/http-server.ts) both call these, so the two floors do exactly the same Redis work.
// What the console adds on top (proxy, session check, the route wrapper, validation, the client gate,
// its own-reads accounting) is what the bench measures.
import { createHash } from "node:crypto";
import Redis from "ioredis";
import { digestOf } from "@/lib/models/digest";
import { parseInfo, summarizeInfo, type InfoSections } from "@/lib/redis/info";
import { displayBytes, fromKeyRef, toKeyRef } from "@/lib/redis/keys";
import { describeValue } from "@/lib/values/describe";

const globalFloor = globalThis as unknown as { __benchFloorRedis?: Redis };

/** One client per process, as the console keeps one per connection, with the console's options. */
export function floorClient(): Redis {
  const url = process.env.REDIS_URL;
  if (!url) throw new Error("The floor needs REDIS_URL: it never falls back to a default Redis");
  globalFloor.__benchFloorRedis ??= new Redis(url, {
    protocol: 2,
    connectionName: "bench-floor",
    connectTimeout: 3_000,
    commandTimeout: 5_000,
    maxRetriesPerRequest: 1,
  });
  return globalFloor.__benchFloorRedis;
}

export const STATE = "__console:";
export const CONNECTION = { id: "default", name: "default", address: "127.0.0.1" };
export const isStateKey = (key: Buffer) => key.subarray(0, STATE.length).toString("latin1") === STATE;

/** EVALSHA (EVALSHA_RO), EVAL the first time the server has not seen it: as lib/redis/lua runs scripts. */
/** Each script's SHA1, worked out once (as lib/redis/lua defineScript does), not per call. */
const shas = new Map<string, string>();

export async function runScript(
  client: Redis,
  source: string,
  keys: Buffer[],
  args: (string | Buffer)[],
  readOnly = false,
) {
  let sha = shas.get(source);
  if (!sha) shas.set(source, (sha = createHash("sha1").update(source).digest("hex")));
  try {
    return await client.callBuffer(readOnly ? "EVALSHA_RO" : "EVALSHA", sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
    return client.callBuffer(readOnly ? "EVAL_RO" : "EVAL", source, keys.length, ...keys, ...args);
  }
}

// ——— health: PING ———

export async function health(client: Redis) {
  const started = performance.now();
  await client.ping();
  const latencyMs = Math.round((performance.now() - started) * 10) / 10;
  return { status: "ok", failing: [], connections: [{ id: CONNECTION.id, ok: true, latencyMs }] };
}

// ——— overview: INFO → summary, INFO read once a second whatever the number of requests ———

let info: { nodes: InfoSections[]; at: number } | null = null;
let lastAsked = 0;
let reader: NodeJS.Timeout | null = null;

/** The console's metrics sampler reads INFO every second while someone looks; so does this. */
function readInfoEverySecond(client: Redis): void {
  lastAsked = Date.now();
  if (reader) return;
  reader = setInterval(() => {
    if (Date.now() - lastAsked > 10_000) {
      clearInterval(reader!);
      reader = null;
      return;
    }
    client.info().then(
      (text) => (info = { nodes: [parseInfo(text)], at: Date.now() }),
      () => {},
    );
  }, 1_000);
  reader.unref();
}

export async function overview(client: Redis) {
  readInfoEverySecond(client);
  // lib/overview: the sampler's reading while it is at most 2.5 s old, else INFO now.
  if (!info || Date.now() - info.at > 2_500)
    info = { nodes: [parseInfo(await client.info())], at: Date.now() };
  return {
    ok: true,
    data: { ...summarizeInfo(info.nodes, "standalone"), connection: CONNECTION, sampledAt: info.at },
  };
}

// ——— a model's fields: TYPE, HLEN and one HSCAN page, together ———

export async function fieldPage(client: Redis, ref: string, count: number) {
  const key = fromKeyRef(ref) ?? Buffer.alloc(0);
  const [type, total, [next, flat]] = await Promise.all([
    client.type(key),
    client.hlen(key),
    client.hscanBuffer(key, "0", "COUNT", count),
  ]);
  if (type !== "hash") throw new Error(`${displayBytes(key)} is a ${type}, not a hash`);
  const fields = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const [field, value] = [flat[i]!, flat[i + 1]!];
    fields.push({
      ref: toKeyRef(field),
      name: displayBytes(field),
      value: describeValue(value),
      digest: digestOf(value),
    });
  }
  const cursor = next.toString();
  return { ok: true, data: { fields, cursor, total, scanned: cursor === "0" ? total : 0 } };
}

// ——— keys first page: a budgeted SCAN, DBSIZE, then TYPE, PTTL and MEMORY USAGE in one script ———

const METADATA_SCRIPT = `local out = {}
for _, key in ipairs(KEYS) do
  local kind = redis.call('TYPE', key)
  out[#out + 1] = kind.ok or kind
  out[#out + 1] = redis.call('PTTL', key)
  out[#out + 1] = redis.call('MEMORY', 'USAGE', key) or -1
end
return out`;

/** lib/keys/list's budgeted scan: COUNT starts at the page size and follows the hit rate. */
async function budgetedScan(client: Redis, match: string, wanted: number, budget: number) {
  const keys: Buffer[] = [];
  let cursor = "0";
  let examined = 0;
  let hits = 0;
  let count = Math.min(Math.max(wanted, 10), 1_000);
  do {
    const step = Math.min(count, budget - examined);
    const [next, found] = await client.scanBuffer(cursor, "MATCH", match, "COUNT", step);
    examined += step;
    cursor = next.toString();
    for (const key of found) {
      keys.push(key);
      if (!isStateKey(key)) hits += 1;
    }
    const estimate = hits > 0 ? Math.ceil(((wanted - hits) * examined) / hits) : Infinity;
    count = Math.max(10, Math.min(1_000, count * 4, estimate));
  } while (cursor !== "0" && hits < wanted && examined < budget);
  return { keys, cursor: cursor === "0" ? "" : `0-${cursor}`, examined };
}

export async function keysFirstPage(client: Redis, limit: number) {
  const [dbSize, scan] = await Promise.all([client.dbsize(), budgetedScan(client, "*", limit, 100_000)]);
  const keys = scan.keys.filter((key) => !isStateKey(key));
  const replies = keys.length
    ? ((await runScript(client, METADATA_SCRIPT, keys, [], true)) as unknown[])
    : [];
  const rows = [];
  for (let i = 0; i < keys.length; i++) {
    const [type, pttl, memory] = [String(replies[i * 3]), replies[i * 3 + 1], replies[i * 3 + 2]];
    if (type === "none" || pttl === -2) continue;
    rows.push({
      ref: toKeyRef(keys[i]!),
      key: displayBytes(keys[i]!),
      type,
      ttlSeconds: typeof pttl === "number" && pttl >= 0 ? Math.ceil(pttl / 1_000) : null,
      memoryBytes: typeof memory === "number" && memory >= 0 ? memory : null,
      consoleState: false,
    });
  }
  const page = { rows, cursor: scan.cursor, examined: Math.min(scan.examined, dbSize), dbSize };
  return { ok: true, data: { ...page, exact: null, exactLookup: false } };
}
