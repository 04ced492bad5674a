import { describe, expect, it } from "vitest";
import { busiestChannels, MessageBuffer, RateTracker } from "@/components/monitor/message-buffer";
import type { LiveMessage } from "@/lib/live/protocol";

function message(seq: number, channel = "data_channel", text = `m${seq}`): LiveMessage {
  return {
    seq,
    at: 1_700_000_000_000 + seq,
    source: "channel",
    channel,
    payload: { encoding: "text", text, size: text.length, truncated: false },
  };
}

describe("MessageBuffer", () => {
  it("never holds more than its capacity and keeps the newest", () => {
    const buffer = new MessageBuffer(3);
    for (let seq = 1; seq <= 10; seq += 1) buffer.push(message(seq));
    expect(buffer.size).toBe(3);
    expect(buffer.totalReceived).toBe(10);
    expect(buffer.toArray().map((m) => m.seq)).toEqual([8, 9, 10]);
  });

  it("keeps arrival order, oldest first or newest first", () => {
    const buffer = new MessageBuffer(5);
    buffer.pushMany([message(1), message(2), message(3)]);
    expect(buffer.toArray().map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(buffer.newestFirst().map((m) => m.seq)).toEqual([3, 2, 1]);
    buffer.pushMany([message(4), message(5), message(6), message(7)]);
    expect(buffer.toArray().map((m) => m.seq)).toEqual([3, 4, 5, 6, 7]);
    expect(buffer.newestFirst().map((m) => m.seq)).toEqual([7, 6, 5, 4, 3]);
  });

  it("gives every message a unique key, even when the server's seq restarts", () => {
    const buffer = new MessageBuffer(10);
    buffer.pushMany([message(1), message(2), message(1)]);
    const keys = buffer.toArray().map((m) => m.key);
    expect(new Set(keys).size).toBe(3);
  });

  it("counts the messages it holds per channel, forgetting evicted ones", () => {
    const buffer = new MessageBuffer(3);
    buffer.pushMany([message(1, "a"), message(2, "a"), message(3, "b"), message(4, "b")]);
    expect(Object.fromEntries(buffer.channelCounts())).toEqual({ a: 1, b: 2 });
    buffer.push(message(5, "c"));
    expect(Object.fromEntries(buffer.channelCounts())).toEqual({ b: 2, c: 1 });
  });

  it("clears everything", () => {
    const buffer = new MessageBuffer(3);
    buffer.pushMany([message(1), message(2)]);
    buffer.clear();
    expect(buffer.size).toBe(0);
    expect(buffer.toArray()).toEqual([]);
    expect(buffer.channelCounts().size).toBe(0);
    buffer.push(message(3));
    expect(buffer.toArray().map((m) => m.seq)).toEqual([3]);
  });

  it("keeps the newest messages when it shrinks, and all of them when it grows", () => {
    const buffer = new MessageBuffer(4);
    buffer.pushMany([message(1, "a"), message(2, "b"), message(3, "b"), message(4, "c"), message(5, "c")]);
    buffer.resize(2);
    expect(buffer.toArray().map((m) => m.seq)).toEqual([4, 5]);
    expect(Object.fromEntries(buffer.channelCounts())).toEqual({ c: 2 });
    buffer.resize(5);
    buffer.push(message(6));
    expect(buffer.toArray().map((m) => m.seq)).toEqual([4, 5, 6]);
  });

  it("exports one JSON line per message, as the server sent it", () => {
    const buffer = new MessageBuffer(3);
    buffer.pushMany([message(1, "a", "<script>x</script>"), message(2, "b", "\n\ndata: y")]);
    const lines = buffer.toJsonLines().split("\n");
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]!)).toEqual(message(1, "a", "<script>x</script>"));
    expect(JSON.parse(lines[1]!).payload.text).toBe("\n\ndata: y");
  });

  it("refuses a capacity that is not a positive integer", () => {
    expect(() => new MessageBuffer(0)).toThrow(RangeError);
    expect(() => new MessageBuffer(1.5)).toThrow(RangeError);
  });
});

describe("RateTracker", () => {
  const t0 = 1_700_000_000_000; // a whole second

  it("reports messages per second per channel and bytes per second for each past second", () => {
    const tracker = new RateTracker({ points: 3 });
    for (let i = 0; i < 4; i += 1) tracker.record("a", 100, t0 + i * 200);
    tracker.record("b", 50, t0 + 900);
    tracker.record("a", 10, t0 + 1500);
    const series = tracker.series(t0 + 2100);
    expect(series.map((p) => p.at)).toEqual([t0 - 1000, t0, t0 + 1000]);
    expect(series[0]).toEqual({ at: t0 - 1000, messages: 0, bytes: 0, channels: {} });
    expect(series[1]).toMatchObject({ messages: 5, bytes: 450, channels: { a: 4, b: 1 } });
    expect(series[2]).toMatchObject({ messages: 1, bytes: 10, channels: { a: 1 } });
  });

  it("leaves the second in progress out of the series", () => {
    const tracker = new RateTracker({ points: 2 });
    tracker.record("a", 1, t0 + 10);
    expect(tracker.series(t0 + 500).every((p) => p.messages === 0)).toBe(true);
    expect(tracker.series(t0 + 1000).at(-1)?.messages).toBe(1);
  });

  it("averages over a sliding window", () => {
    const tracker = new RateTracker({ points: 3, windowSeconds: 2 });
    for (let i = 0; i < 6; i += 1) tracker.record("a", 10, t0 + 100);
    for (let i = 0; i < 2; i += 1) tracker.record("a", 10, t0 + 1100);
    const series = tracker.series(t0 + 3000);
    // seconds t0, t0+1, t0+2: windows {t0-1, t0}, {t0, t0+1}, {t0+1, t0+2}
    expect(series.map((p) => p.messages)).toEqual([3, 4, 1]);
    expect(series.map((p) => p.bytes)).toEqual([30, 40, 10]);
    expect(series.map((p) => p.channels.a)).toEqual([3, 4, 1]);
  });

  it("forgets seconds older than the chart", () => {
    const tracker = new RateTracker({ points: 2 });
    tracker.record("a", 1, t0);
    tracker.record("a", 1, t0 + 10_000);
    expect(tracker.series(t0 + 3000).reduce((sum, p) => sum + p.messages, 0)).toBe(0);
    expect(tracker.series(t0 + 11_000).at(-1)?.messages).toBe(1);
  });

  it("handles a channel called __proto__", () => {
    const tracker = new RateTracker({ points: 1 });
    tracker.record("__proto__", 1, t0);
    expect(tracker.series(t0 + 1000)[0]?.channels["__proto__"]).toBe(1);
  });

  it("names the busiest channels first", () => {
    const tracker = new RateTracker({ points: 2 });
    for (const [channel, n] of [
      ["quiet", 1],
      ["busy", 5],
      ["middle", 3],
    ] as const) {
      for (let i = 0; i < n; i += 1) tracker.record(channel, 1, t0);
    }
    expect(busiestChannels(tracker.series(t0 + 2000), 2)).toEqual(["busy", "middle"]);
  });
});
