// The core group of `npm run bench`: health, the overview and the keys browser's first page through
// the console and its two HTTP floors (bench/floor), beside the plain ioredis script doing the same
// Redis work; and what the stored-session check adds to every signed-in request.
import type Redis from "ioredis";
import { time, type Row } from "@/bench/harness";
import { sameGet, type HttpCase } from "@/bench/http-rows";
import { FIRST_PAGE, plainFirstPage } from "@/bench/keys";
import { parseInfo, summarizeInfo } from "@/lib/redis/info";

const RUNS = Number(process.env.BENCH_RUNS ?? 500);

export async function coreCases(client: Redis, base: string, cookie: string): Promise<HttpCase[]> {
  const keys = (await client.dbsize()).toLocaleString("en-US");
  return [
    {
      ...sameGet("Health (PING), signed in", base, cookie, "/api/health"),
      runs: RUNS,
      target: { addedMs: 0.3 },
      plain: () => client.ping(),
    },
    {
      // The console reads INFO once a second (its metrics sampler), not per request; the floors too.
      ...sameGet("Overview (INFO → summary)", base, cookie, "/api/overview"),
      runs: RUNS,
      target: { addedMs: 0.3 },
      plain: async () => summarizeInfo([parseInfo(await client.info())], "standalone"),
    },
    {
      ...sameGet(
        `Keys first page (100 keys, type, TTL, memory), ${keys} keys`,
        base,
        cookie,
        `/api/keys?limit=${FIRST_PAGE}`,
      ),
      runs: Math.min(RUNS, 200),
      target: { p50: 1.1, p95: 1.25 },
      plain: () => plainFirstPage(client),
    },
  ];
}

/**
 * What the stored-session check adds to every signed-in request: the check itself (one EVALSHA,
 * in this process, against the same Redis) beside a bare HMGET of the same hash.
 */
export async function sessionCheckRow(client: Redis): Promise<Row> {
  const { createStoredSession, readStoredSession } = await import("@/lib/auth/session-store");
  const id = await createStoredSession({
    username: "bench",
    role: "viewer",
    credential: "bench",
    address: "127.0.0.1",
    maxAgeMs: 3600_000,
  });
  return {
    name: "Session check per signed-in request (EVALSHA)",
    floor: await time(RUNS, () => client.hmget(`__console:session:${id}`, "user", "role", "pw", "seen")),
    console: await time(RUNS, () => readStoredSession(id)),
    target: "< 0.3 ms p50 added",
  };
}
