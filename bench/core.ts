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
      runs: RUNS,
      target: { p50: 1.1, p95: 1.25 },
      plain: () => plainFirstPage(client),
    },
  ];
}

/**
 * The stored-session check in lib (lib/auth/session-store.ts): a session checked for the first time
 * (one EVALSHA), and one checked again within 2 s while the process listens for ended sessions
 * (lib/auth/session-cache.ts), each beside the plain HMGET of the same fields.
 */
export async function sessionCheckRows(client: Redis): Promise<Row[]> {
  const { createStoredSession, readStoredSession } = await import("@/lib/auth/session-store");
  const { isListeningForEndedSessions } = await import("@/lib/auth/session-cache");
  const create = () =>
    createStoredSession({
      username: "bench",
      role: "viewer",
      credential: "bench",
      address: "127.0.0.1",
      maxAgeMs: 3600_000,
    });
  const warmup = Math.min(50, RUNS);
  const fresh = await Promise.all(Array.from({ length: RUNS + warmup }, create));
  const id = await create();
  const hmget = () => client.hmget(`__console:session:${id}`, "user", "role", "pw", "seen");
  for (let i = 0; i < 100 && !isListeningForEndedSessions(); i++) await new Promise((r) => setTimeout(r, 50));
  let next = 0;
  return [
    {
      name: "Session check, first time for a session (EVALSHA)",
      floor: await time(RUNS, hmget),
      console: await time(RUNS, () => readStoredSession(fresh[next++]!)),
      target: "< 0.3 ms p50 added",
    },
    {
      name: "Session check again within 2 s (remembered while listening for ended sessions)",
      floor: await time(RUNS, hmget),
      console: await time(RUNS, () => readStoredSession(id)),
      target: "< 0.3 ms p50 added",
    },
  ];
}
