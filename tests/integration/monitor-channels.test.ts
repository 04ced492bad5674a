import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Redis from "ioredis";
import { listChannels, MAX_CHANNELS, publishMessage } from "@/lib/monitor/channels";
import { toKeyRef } from "@/lib/redis/keys";
import { closeAllClients } from "@/lib/redis/registry";
import type { RedisServerHandle } from "@/scripts/lib/redis-server";
import { startTestRedis } from "@/tests/helpers/redis";

// lib/monitor/channels.ts: active channels with subscriber counts, and publishing exact bytes.
// `outside` plays the services around the console: subscribers, producers, workers in a group.
let server: RedisServerHandle;
let outside: Redis;
const CONN = "main";
const opened: Redis[] = [];

beforeAll(async () => {
  ({ server, client: outside } = await startTestRedis());
  process.env.CONSOLE_CONNECTIONS = JSON.stringify([{ id: CONN, type: "standalone", url: server.url }]);
});

afterAll(async () => {
  await closeAllClients();
  delete process.env.CONSOLE_CONNECTIONS;
  for (const client of opened) client.disconnect();
  outside.disconnect();
  await server.stop();
});

/** A plain connection of its own, as a subscriber process would hold. */
function connection(): Redis {
  const client = new Redis(server.url, { protocol: 2 });
  opened.push(client);
  return client;
}

/** Resolves with the first message (channel, payload bytes) a subscriber receives. */
function nextMessage(subscriber: Redis): Promise<Buffer> {
  return new Promise((resolve) => {
    subscriber.once("messageBuffer", (_channel: Buffer, message: Buffer) => resolve(message));
  });
}

describe("channels", () => {
  const results = "inference:results";
  // Binary, with a newline and a glob character: listed and counted byte for byte.
  const binaryChannel = Buffer.from([0x65, 0x76, 0xff, 0x0a, 0x2a]);
  let first: Redis;
  let second: Redis;
  let third: Redis;

  beforeAll(async () => {
    [first, second, third] = [connection(), connection(), connection()];
    await first.subscribe(results);
    await second.subscribe(results);
    await third.subscribe(binaryChannel);
    await connection().psubscribe("metrics:*");
  });

  it("lists active channels with their subscriber counts and the pattern count", async () => {
    const list = await listChannels(CONN);

    expect(list.truncated).toBe(false);
    expect(list.patterns).toBe(1);
    expect(list.channels).toHaveLength(2);
    expect(list.channels).toContainEqual({ name: results, ref: toKeyRef(results), subscribers: 2 });
    expect(list.channels).toContainEqual({
      name: "ev\\xff\\n*",
      ref: toKeyRef(binaryChannel),
      subscribers: 1,
    });
  });

  it("narrows the list with a glob pattern", async () => {
    const list = await listChannels(CONN, { pattern: "inference:*" });

    expect(list.channels.map((channel) => channel.name)).toEqual([results]);
  });

  it("publishing answers how many received it, and a subscriber gets the exact bytes", async () => {
    const received = nextMessage(first);
    const payload = Buffer.from('{"label":"cat","score":0.97}');

    expect(await publishMessage(CONN, Buffer.from(results), payload)).toEqual({ receivers: 2 });
    expect((await received).equals(payload)).toBe(true);
  });

  it("a binary payload on a binary channel arrives unchanged", async () => {
    const received = nextMessage(third);
    const payload = Buffer.from([0x00, 0xff, 0xfe, 0x0a, 0x80, 0x7f, 0x00]);

    expect(await publishMessage(CONN, binaryChannel, payload)).toEqual({ receivers: 1 });
    expect((await received).equals(payload)).toBe(true);
  });

  it("counts pattern subscribers as receivers, and a channel nobody hears as zero", async () => {
    expect(await publishMessage(CONN, Buffer.from("metrics:cpu"), Buffer.from("0.5"))).toEqual({
      receivers: 1,
    });
    expect(await publishMessage(CONN, Buffer.from("nobody:listens"), Buffer.from("x"))).toEqual({
      receivers: 0,
    });
  });

  it("lists at most 1,000 channels and says the list was cut", async () => {
    const many = connection();
    await many.subscribe(...Array.from({ length: MAX_CHANNELS + 5 }, (_, i) => `bulk:${i}`));

    const list = await listChannels(CONN);

    expect(list.channels).toHaveLength(MAX_CHANNELS);
    expect(list.truncated).toBe(true);
    many.disconnect();
  });
});
