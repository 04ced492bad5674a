import { describe, expect, it } from "vitest";
import { liveClientCount } from "@/lib/live/browser-stream";
import { QUEUE_LIMIT } from "@/lib/live/protocol";
import { pubSubHub } from "@/lib/live/pubsub";
import { activeStreamTails } from "@/lib/live/stream-tail";
import { closeAllClients } from "@/lib/redis/registry";
import { startRedisServer } from "@/scripts/lib/redis-server";
import { liveTabs, withLiveRedis } from "@/tests/helpers/live";
import { reader } from "@/tests/helpers/sse-reader";

// lib/live/pubsub.ts: one subscriber per connection shared by every tab, messages fanned out to
// each tab's bounded queue, and stream tails (lib/live/stream-tail.ts) beside it.

const redis = withLiveRedis();
const tab = liveTabs();

async function numsub(channel: string): Promise<number> {
  const reply = (await redis.client.pubsub("NUMSUB", channel)) as [string, number];
  return Number(reply[1]);
}

describe("the live hub", () => {
  it("shares one subscription between tabs and unsubscribes when the last one leaves", async () => {
    const [a, b] = [tab(), tab()];
    const [ra, rb] = [reader(a), reader(b)];
    ra.start();
    rb.start();
    await a.watch([{ kind: "channel", name: "data_channel" }]);
    await b.watch([{ kind: "channel", name: "data_channel" }]);
    expect(await numsub("data_channel")).toBe(1);

    await redis.client.publish("data_channel", '{"id":1}');
    await expect.poll(() => ra.messages().length).toBe(1);
    await expect.poll(() => rb.messages().length).toBe(1);

    await a.close("tab closed");
    expect(await numsub("data_channel")).toBe(1);
    await redis.client.publish("data_channel", '{"id":2}');
    await expect.poll(() => rb.messages().map((m) => m.payload.text)).toEqual(['{"id":1}', '{"id":2}']);

    await b.unwatch([{ kind: "channel", name: "data_channel" }]);
    await expect.poll(() => numsub("data_channel")).toBe(0);
    expect(pubSubHub("main").size).toBe(0);
  });

  it("delivers pattern messages with the pattern that matched, and payloads exactly as text or hex", async () => {
    const client = tab();
    const r = reader(client);
    r.start();
    await client.watch([{ kind: "pattern", name: "result_*" }]);
    await redis.client.publish(
      "result_channel",
      'line1\n\ndata: {"fake":"event"}\n\n<script>alert(1)</script>',
    );
    await redis.client.publish(Buffer.from("result_bin"), Buffer.from([0xff, 0x00, 0x01]));
    await expect.poll(() => r.messages().length).toBe(2);
    const [text, binary] = r.messages();
    expect(text).toMatchObject({ source: "pattern", channel: "result_channel", pattern: "result_*" });
    expect(text!.payload.text).toBe('line1\n\ndata: {"fake":"event"}\n\n<script>alert(1)</script>');
    expect(binary!.payload).toMatchObject({ encoding: "hex", text: "ff0001", size: 3 });
    expect(r.events.filter((e) => e.event === "batch").length).toBeGreaterThanOrEqual(1);
  });

  it("keeps a slow tab's memory bounded and tells it how many messages it lost", async () => {
    const client = tab();
    const r = reader(client);
    await client.watch([{ kind: "channel", name: "firehose" }]);
    // Nobody reads the stream: the response fills up and the tab's queue must stay bounded.
    const total = QUEUE_LIMIT * 3;
    for (let i = 0; i < total; i += 1_000) {
      const pipeline = redis.client.pipeline();
      for (let j = i; j < Math.min(total, i + 1_000); j++)
        pipeline.publish("firehose", JSON.stringify({ n: j, pad: "x".repeat(150) }));
      await pipeline.exec();
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(client.queued).toBeLessThanOrEqual(QUEUE_LIMIT);

    r.start();
    await expect.poll(() => r.messages().length + r.dropped(), { timeout: 10_000 }).toBe(total);
    const received = r.messages().map((m) => (JSON.parse(m.payload.text) as { n: number }).n);
    expect(r.dropped()).toBeGreaterThan(0);
    // What arrives is the newest, in order: the oldest were the ones dropped.
    expect(received).toEqual([...received].sort((x, y) => x - y));
    expect(received[received.length - 1]).toBe(total - 1);
  });

  it("tails a stream for every tab that watches it, on one shared reader", async () => {
    const [a, b] = [tab(), tab()];
    const [ra, rb] = [reader(a), reader(b)];
    ra.start();
    rb.start();
    await a.watch([{ kind: "stream", name: "stream:predictions" }]);
    await b.watch([{ kind: "stream", name: "stream:predictions" }]);
    expect(activeStreamTails()).toBe(1);
    // No pause: an entry added right after the watch is confirmed must not be missed.
    const id = await redis.client.xadd("stream:predictions", "*", "model", "churn", "score", "0.93");
    await expect.poll(() => ra.messages().map((m) => m.entryId)).toEqual([id]);
    await expect.poll(() => rb.messages().length).toBe(1);
    expect(JSON.parse(ra.messages()[0]!.payload.text)).toEqual({ model: "churn", score: "0.93" });
    await a.close("closed");
    await b.close("closed");
    expect(activeStreamTails()).toBe(0);
  });

  it("reports the gap when Redis goes away and resubscribes when it is back", async () => {
    const flaky = await startRedisServer();
    process.env.CONSOLE_CONNECTIONS = JSON.stringify([
      { id: "main", type: "standalone", url: redis.server.url },
      { id: "flaky", type: "standalone", url: flaky.url },
    ]);
    await closeAllClients();
    const client = tab("flaky");
    const r = reader(client);
    r.start();
    await client.watch([{ kind: "channel", name: "data_channel" }]);
    await flaky.stop();
    const back = await startRedisServer({ port: flaky.port });
    try {
      await expect
        .poll(
          () => r.events.some((e) => e.event === "gap" && (e.data as { to: number | null }).to !== null),
          {
            timeout: 15_000,
          },
        )
        .toBe(true);
      const gap = r.events.find((e) => e.event === "gap" && (e.data as { to: number | null }).to !== null)!
        .data as { from: number; to: number };
      expect(gap.to).toBeGreaterThanOrEqual(gap.from);
      const checker = new (await import("ioredis")).default(back.url, { protocol: 2 });
      await expect
        .poll(async () => ((await checker.pubsub("NUMSUB", "data_channel")) as [string, number])[1], {
          timeout: 10_000,
        })
        .toBe(1);
      await checker.publish("data_channel", "after the gap");
      await expect.poll(() => r.messages().map((m) => m.payload.text)).toContain("after the gap");
      checker.disconnect();
    } finally {
      await client.close("done");
      await back.stop();
    }
  });

  it("forgets a closed tab everywhere", async () => {
    const before = liveClientCount();
    const client = tab();
    await client.watch([
      { kind: "channel", name: "c1" },
      { kind: "pattern", name: "p*" },
    ]);
    expect(liveClientCount()).toBe(before + 1);
    await client.close("tab closed");
    expect(liveClientCount()).toBe(before);
    expect(await numsub("c1")).toBe(0);
    expect(Number(await redis.client.pubsub("NUMPAT"))).toBe(0);
  });
});
