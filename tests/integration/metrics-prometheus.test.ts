import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordLookup } from "@/lib/cache/hit-counter";
import { openBrowserStream } from "@/lib/live/browser-stream";
import { QUEUE_LIMIT } from "@/lib/live/protocol";
import { closePubSubHubs } from "@/lib/live/pubsub";
import { scrapeMetrics } from "@/lib/metrics/prometheus/scrape";
import { withConsoleRedis } from "@/tests/helpers/redis";
import { reader } from "@/tests/helpers/sse-reader";

// GET /metrics (lib/metrics/prometheus): off without CONSOLE_METRICS_TOKEN, a Bearer token
// otherwise, and the per-namespace lookup counters follow the lookups applications record.
const redis = withConsoleRedis("main");
const TOKEN = "scrape-token-for-tests";

function scrape(authorization?: string): Promise<Response> {
  const headers = authorization ? { Authorization: authorization } : undefined;
  return scrapeMetrics(new Request("http://console.test/metrics", { headers }));
}

async function scrapedText(): Promise<string> {
  const response = await scrape(`Bearer ${TOKEN}`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
}

/** The value of one series, by its exact name and labels as Prometheus prints them. */
function valueOf(text: string, series: string): number | undefined {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const lookups = (namespace: string, result: "hit" | "miss") =>
  `redis_console_namespace_lookups_total{connection="main",namespace="${namespace}",result="${result}"}`;

beforeAll(() => {
  delete process.env.CONSOLE_METRICS_TOKEN;
});

afterAll(async () => {
  delete process.env.CONSOLE_METRICS_TOKEN;
  // Before withConsoleRedis' own afterAll (hooks run in reverse): the hub's subscriber goes first.
  await closePubSubHubs();
});

describe("GET /metrics", () => {
  it("is off (404) unless CONSOLE_METRICS_TOKEN is set", async () => {
    expect((await scrape(`Bearer ${TOKEN}`)).status).toBe(404);
  });

  it("asks for the Bearer token, and refuses another", async () => {
    process.env.CONSOLE_METRICS_TOKEN = TOKEN;
    const missing = await scrape();
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="metrics"');
    expect((await scrape(`Bearer ${TOKEN}x`)).status).toBe(401);
    expect((await scrape(`Basic ${TOKEN}`)).status).toBe(401);
  });

  it("counts the lookups applications record per namespace, and says the connection is up", async () => {
    process.env.CONSOLE_METRICS_TOKEN = TOKEN;
    for (let i = 0; i < 3; i++) await recordLookup(redis.client, "result", true);
    for (let i = 0; i < 2; i++) await recordLookup(redis.client, "result", false);
    await recordLookup(redis.client, "cache:embeddings", true);

    let text = await scrapedText();
    expect(valueOf(text, 'redis_console_up{connection="main"}')).toBe(1);
    expect(valueOf(text, lookups("result", "hit"))).toBe(3);
    expect(valueOf(text, lookups("result", "miss"))).toBe(2);
    expect(valueOf(text, lookups("cache:embeddings", "hit"))).toBe(1);
    expect(valueOf(text, 'redis_console_keyspace_hits{connection="main"}')).toBeGreaterThanOrEqual(0);
    expect(text).toContain("process_cpu_seconds_total");

    // A counter: the next scrape adds only what came since.
    for (let i = 0; i < 4; i++) await recordLookup(redis.client, "result", true);
    text = await scrapedText();
    expect(valueOf(text, lookups("result", "hit"))).toBe(7);
    expect(valueOf(text, lookups("result", "miss"))).toBe(2);
  });

  it("gives at most 20 namespaces a label of their own and sums the rest", async () => {
    process.env.CONSOLE_METRICS_TOKEN = TOKEN;
    for (let i = 0; i < 30; i++) await recordLookup(redis.client, `ns${i}`, true);
    const text = await scrapedText();
    const namespaces = new Set(
      [...text.matchAll(/redis_console_namespace_lookups_total\{connection="main",namespace="([^"]+)"/g)].map(
        (match) => match[1],
      ),
    );
    expect(namespaces.size).toBe(21);
    expect(namespaces.has("(other)")).toBe(true);
    expect(valueOf(text, lookups("(other)", "hit"))).toBe(12);
  });

  it("counts SSE streams, tabs, what they watch, and the live messages a slow tab was told it lost", async () => {
    process.env.CONSOLE_METRICS_TOKEN = TOKEN;
    const stream = openBrowserStream("ana", Number.POSITIVE_INFINITY);
    const firehose = stream.join("tab-firehose", "main");
    const quiet = stream.join("tab-quiet", "main");
    await firehose.watch([{ kind: "channel", name: "prom:firehose" }]);
    await quiet.watch([
      { kind: "channel", name: "prom:firehose" },
      { kind: "pattern", name: "prom:other:*" },
      { kind: "jobs", name: "all" },
    ]);
    // The quiet tab's copy of the firehose goes; the subscription in Redis stays for the other tab.
    await quiet.unwatch([{ kind: "channel", name: "prom:firehose" }]);

    let text = await scrapedText();
    expect(valueOf(text, "redis_console_sse_streams")).toBe(1);
    expect(valueOf(text, "redis_console_live_tabs")).toBe(2);
    expect(valueOf(text, 'redis_console_live_watched_targets{kind="channel"}')).toBe(1);
    expect(valueOf(text, 'redis_console_live_watched_targets{kind="pattern"}')).toBe(1);
    expect(valueOf(text, 'redis_console_live_watched_targets{kind="jobs"}')).toBe(1);
    expect(valueOf(text, 'redis_console_live_watched_targets{kind="stream"}')).toBe(0);
    expect(valueOf(text, 'redis_console_pubsub_subscriptions{connection="main"}')).toBe(2);
    const droppedBefore = valueOf(text, 'redis_console_live_dropped_messages_total{connection="main"}') ?? 0;

    // Nobody reads the stream: the response fills up, then the tab's ring drops its oldest.
    const total = QUEUE_LIMIT * 2;
    for (let i = 0; i < total; i += 1_000) {
      const pipeline = redis.client.pipeline();
      for (let j = i; j < Math.min(total, i + 1_000); j++)
        pipeline.publish("prom:firehose", JSON.stringify({ n: j, pad: "x".repeat(150) }));
      await pipeline.exec();
    }
    await expect.poll(() => firehose.queued, { timeout: 10_000 }).toBe(QUEUE_LIMIT);
    text = await scrapedText();
    const droppedWhileSlow = valueOf(text, 'redis_console_live_dropped_messages_total{connection="main"}');
    expect(droppedWhileSlow! - droppedBefore).toBeGreaterThan(0);

    const read = reader(stream);
    read.start();
    await expect.poll(() => read.messages().length + read.dropped(), { timeout: 10_000 }).toBe(total);
    text = await scrapedText();
    // Exactly what the tab was told it lost, and no more once it reads again.
    expect(
      valueOf(text, 'redis_console_live_dropped_messages_total{connection="main"}')! - droppedBefore,
    ).toBe(read.dropped());
    expect(droppedWhileSlow! - droppedBefore).toBe(read.dropped());

    await stream.close("test over");
    text = await scrapedText();
    expect(valueOf(text, "redis_console_sse_streams")).toBe(0);
    expect(valueOf(text, "redis_console_live_tabs")).toBe(0);
    expect(valueOf(text, 'redis_console_live_watched_targets{kind="channel"}')).toBe(0);
    await expect
      .poll(async () => valueOf(await scrapedText(), 'redis_console_pubsub_subscriptions{connection="main"}'))
      .toBe(0);
  });
});
