import { describe, expect, it, vi } from "vitest";
import { findBrowserStream, liveStreamsOf, openBrowserStream } from "@/lib/live/browser-stream";
import type { BatchEvent } from "@/lib/live/protocol";
import { withLiveRedis } from "@/tests/helpers/live";
import { reader } from "@/tests/helpers/sse-reader";

// One stream per browser (issue 10): its tabs join with channels of their own and each receives
// only what it watches, with its own sequence; a tab that leaves releases what it watched.

const redis = withLiveRedis();

async function numsub(channel: string): Promise<number> {
  return Number(((await redis.client.pubsub("NUMSUB", channel)) as [string, number])[1]);
}

/** Waits up to 5 s (real time) for a condition. */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${condition.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("a browser's one stream", () => {
  it("carries several tabs, each with only its own channel's messages, in order", async () => {
    const stream = openBrowserStream("ana", Number.POSITIVE_INFINITY, { id: "session-1" });
    const read = reader(stream);
    read.start();
    const a = stream.join("tab-aaaa", "main");
    const b = stream.join("tab-bbbb", "main");
    await a.watch([{ kind: "channel", name: "chan_a" }]);
    await b.watch([{ kind: "channel", name: "chan_b" }]);
    for (let i = 1; i <= 5; i++) await redis.client.publish("chan_a", `a${i}`);
    for (let i = 1; i <= 3; i++) await redis.client.publish("chan_b", `b${i}`);

    const batches = (tab: string) =>
      read.events.filter((e) => e.event === "batch" && e.tab === tab).map((e) => e.data as BatchEvent);
    const texts = (tab: string) => batches(tab).flatMap((batch) => batch.messages.map((m) => m.payload.text));
    await expect.poll(() => texts("tab-aaaa")).toEqual(["a1", "a2", "a3", "a4", "a5"]);
    await expect.poll(() => texts("tab-bbbb")).toEqual(["b1", "b2", "b3"]);
    expect(batches("tab-bbbb")[0]!.firstSeq).toBe(1);
    expect(read.events.filter((e) => e.event === "hello" && !e.tab)).toHaveLength(1);
    expect(liveStreamsOf("session-1")).toEqual({ streams: 1, tabs: 2 });

    await stream.leave("tab-aaaa");
    expect(await numsub("chan_a")).toBe(0);
    expect(await numsub("chan_b")).toBe(1);
    expect(liveStreamsOf("session-1")).toEqual({ streams: 1, tabs: 1 });

    stream.end("signedOut");
    await expect.poll(() => numsub("chan_b")).toBe(0);
    expect(read.events.at(-1)).toMatchObject({ event: "end", data: { reason: "You signed out." } });
    expect(() => findBrowserStream(stream.id, "ana")).toThrow(/has ended/);
  });

  it("sends a full frame at once instead of on the next tick, so a fast channel loses nothing to the tick", async () => {
    // The ~50 ms tick frozen: only a full frame (1,000 messages) may leave without it. Waits use
    // setTimeout, not expect.poll, which advances fake timers between its attempts.
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    try {
      const stream = openBrowserStream("ana", Number.POSITIVE_INFINITY);
      const read = reader(stream);
      read.start();
      const tab = stream.join("tab-dddd", "main");
      await tab.watch([{ kind: "channel", name: "chan_fast" }]);
      const received = () =>
        read.events
          .filter((e) => e.event === "batch")
          .flatMap((e) => (e.data as BatchEvent).messages.map((m) => m.payload.text));

      for (let i = 0; i < 10; i++) await redis.client.publish("chan_fast", `m${i}`);
      await until(() => tab.queued === 10);
      expect(received()).toEqual([]); // a few messages wait for the tick

      const pipeline = redis.client.pipeline();
      for (let i = 10; i < 1_000; i++) pipeline.publish("chan_fast", `m${i}`);
      await pipeline.exec();
      // The 1,000th message makes a full frame: it leaves without the tick.
      await until(() => received().length === 1_000);
      expect(tab.queued).toBe(0);

      expect(received()).toEqual(Array.from({ length: 1_000 }, (_, i) => `m${i}`));
      const dropped = read.events
        .filter((e) => e.event === "batch")
        .map((e) => (e.data as BatchEvent).dropped);
      expect(new Set(dropped)).toEqual(new Set([0]));
      await stream.close("test over");
    } finally {
      vi.useRealTimers();
    }
  });

  it("refuses another user's stream, a malformed tab id and a tab moving to another connection", async () => {
    const stream = openBrowserStream("ana", Number.POSITIVE_INFINITY);
    expect(() => findBrowserStream(stream.id, "mallory")).toThrow(/has ended/);
    expect(() => stream.join("x", "main")).toThrow(/not a tab id/);
    stream.join("tab-cccc", "main");
    expect(() => stream.join("tab-cccc", "other")).toThrow(/another connection/);
    await stream.close("test over");
  });
});
