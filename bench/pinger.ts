// Another Redis client during a flush (bench/cache.ts): sequential PINGs, one at a time, in a
// process of its own so that the flush script's work in the bench process cannot delay its replies.
//   BENCH_REDIS_URL=redis://… node --import tsx bench/pinger.ts
// Pings from the start; prints "ready" once connected. Stdin line "start" begins recording round
// trips, "stop" ends it, prints their summary as one JSON line, and exits.
import { createInterface } from "node:readline";
import Redis from "ioredis";
import { percentile } from "@/bench/harness";

export interface PingSummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

const redisUrl = process.env.BENCH_REDIS_URL;
if (!redisUrl) throw new Error("BENCH_REDIS_URL is required");

const redis = new Redis(redisUrl, { protocol: 2, connectionName: "bench:pinger" });
let recording: number[] | null = null;
let running = true;

async function pingLoop(): Promise<void> {
  while (running) {
    const started = performance.now();
    await redis.ping();
    recording?.push(performance.now() - started);
  }
}

function summary(samples: number[]): PingSummary {
  const sorted = Float64Array.from(samples).sort();
  return {
    count: sorted.length,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

async function main(): Promise<void> {
  await redis.ping();
  const loop = pingLoop();
  console.log("ready");
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === "start") recording = [];
    if (line === "stop") break;
  }
  running = false;
  await loop;
  console.log(JSON.stringify(summary(recording ?? [])));
  redis.disconnect();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
