import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Redis from "ioredis";
import { AppError } from "@/lib/errors";
import { listChannels, MAX_CHANNELS, publishMessage } from "@/lib/monitor/channels";
import { displayBytes, toKeyRef } from "@/lib/redis/keys";
import { closeAllClients } from "@/lib/redis/registry";
import { readEntries } from "@/lib/streams/entries";
import { ackEntries, createGroup, streamGroups, type GroupView } from "@/lib/streams/groups";
import { listStreams, type StreamListPage } from "@/lib/streams/list";
import type { RedisServerHandle } from "@/scripts/lib/redis-server";
import { startTestRedis } from "@/tests/helpers/redis";

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

/** The AppError a call fails with, to assert on what the user is told. */
async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

/** Resolves with the first message (channel, payload bytes) a subscriber receives. */
function nextMessage(subscriber: Redis): Promise<Buffer> {
  return new Promise((resolve) => {
    subscriber.once("messageBuffer", (_channel: Buffer, message: Buffer) => resolve(message));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

describe("stream list", () => {
  const streamCount = 250;
  const binaryStream = Buffer.concat([
    Buffer.from("events:"),
    Buffer.from([0xff, 0x0a]),
    Buffer.from("[x] 🚀"),
  ]);

  beforeAll(async () => {
    const pipeline = outside.pipeline();
    for (let i = 0; i < 3_000; i++) pipeline.set(`filler:${i}`, "x");
    for (let i = 0; i < 100; i++) pipeline.hset(`model:m${i}:v1`, "w", "1");
    for (let i = 0; i < streamCount; i++) pipeline.xadd(`events:${i}`, "*", "n", String(i));
    pipeline.xadd(binaryStream, "1-1", "a", "1");
    pipeline.xadd(binaryStream, "2-1", "b", "2");
    pipeline.xgroup("CREATE", binaryStream, "g", "0");
    pipeline.xadd("__console:audit", "*", "action", "login");
    await pipeline.exec();
  });

  async function listAll(search?: string): Promise<StreamListPage[]> {
    const pages: StreamListPage[] = [];
    let cursor: string | undefined;
    do {
      const page = await listStreams(CONN, { cursor, search });
      pages.push(page);
      cursor = page.cursor;
    } while (cursor);
    return pages;
  }

  it("finds every stream among other types, in budgeted pages, each once", async () => {
    const pages = await listAll();
    const keys = pages.flatMap((page) => page.rows.map((row) => row.key));

    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) expect(page.examined).toBeLessThanOrEqual(page.dbSize);
    expect(keys).toHaveLength(streamCount + 1);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.filter((key) => !key.startsWith("events:"))).toEqual([]);
    expect(keys).not.toContain("__console:audit");
  });

  it("describes a stream: length, groups, first and last ids, binary name intact", async () => {
    const [page] = await listAll("events:\\xff");

    expect(page?.rows).toEqual([
      {
        ref: toKeyRef(binaryStream),
        key: "events:\\xff\\n[x] 🚀",
        length: 2,
        groups: 1,
        firstEntryId: "1-1",
        lastEntryId: "2-1",
        lastGeneratedId: "2-1",
      },
    ]);
  });
});

describe("reading entries", () => {
  const key = Buffer.from("readings:sensor\x00a", "latin1");
  const total = 1_234;
  const allIds = Array.from({ length: total }, (_, i) => `${1_000 + i}-${i % 3}`);

  beforeAll(async () => {
    const pipeline = outside.pipeline();
    allIds.forEach((id, i) => pipeline.xadd(key, id, "i", String(i), Buffer.from([0xff, 0x01]), "raw"));
    await pipeline.exec();
  });

  async function pageThrough(direction: "forward" | "backward") {
    const ids: string[] = [];
    let pages = 0;
    let next: string | null = null;
    do {
      const bound = next ?? undefined;
      const page = await readEntries(CONN, key, {
        direction,
        count: 100,
        ...(direction === "forward" ? { start: bound } : { end: bound }),
      });
      pages += 1;
      expect(page.length).toBe(total);
      expect(page.entries.length).toBeLessThanOrEqual(100);
      ids.push(...page.entries.map((entry) => entry.id));
      next = page.next;
    } while (next);
    return { ids, pages };
  }

  it("pages forward through every entry exactly once, in order", async () => {
    const { ids, pages } = await pageThrough("forward");

    expect(pages).toBe(13);
    expect(ids).toEqual(allIds);
  });

  it("pages backward through every entry exactly once, newest first", async () => {
    const { ids, pages } = await pageThrough("backward");

    expect(pages).toBe(13);
    expect(ids).toEqual([...allIds].reverse());
  });

  it("shows fields binary-safely and reads an inclusive range", async () => {
    const page = await readEntries(CONN, key, { start: "1002", end: "1003-1", direction: "forward" });

    expect(page.next).toBeNull();
    expect(page.entries.map((entry) => entry.id)).toEqual(["1002-2", "1003-0"]);
    expect(page.entries[0]).toMatchObject({
      at: 1002,
      fieldCount: 2,
      fields: [
        { name: "i", value: { kind: "integer", display: "2" } },
        { name: "\\xff\\x01", value: { kind: "text", display: "raw" } },
      ],
    });
  });

  it("refuses a key that is not a stream, naming its type, and a missing one", async () => {
    await outside.set("plain:string", "v");

    const wrongType = await failure(readEntries(CONN, Buffer.from("plain:string"), { direction: "forward" }));
    const missing = await failure(readEntries(CONN, Buffer.from("no:such"), { direction: "forward" }));

    expect(wrongType.code).toBe("INVALID");
    expect(wrongType.message).toContain("plain:string is a string, not a stream");
    expect(missing.code).toBe("NOT_FOUND");
  });

  it("does not show the console's own streams", async () => {
    await outside.xadd("__console:audit", "*", "action", "login");

    const error = await failure(readEntries(CONN, Buffer.from("__console:audit"), { direction: "forward" }));

    expect(error.code).toBe("FORBIDDEN");
  });
});

describe("consumer groups", () => {
  const key = Buffer.from("jobs:embeddings");
  const ids: string[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 10; i++) ids.push((await outside.xadd(key, "*", "job", String(i)))!);
  });

  async function group(name: string): Promise<GroupView> {
    const found = (await streamGroups(CONN, key)).groups.find((g) => g.name === name);
    if (!found) throw new Error(`group ${name} is not listed`);
    return found;
  }

  it("shows pending entries per consumer, lag and how long the oldest has waited", async () => {
    expect(await createGroup(CONN, key, "workers", "0")).toEqual({
      group: "workers",
      ref: toKeyRef("workers"),
    });
    const worker = connection();
    await worker.xreadgroup("GROUP", "workers", "alice", "COUNT", 3, "STREAMS", key, ">");
    await worker.xreadgroup("GROUP", "workers", "bob", "COUNT", 2, "STREAMS", key, ">");
    await sleep(150);

    const workers = await group("workers");

    expect(workers).toMatchObject({
      consumerCount: 2,
      pending: 5,
      pendingRange: { smallest: ids[0], largest: ids[4] },
      lastDeliveredId: ids[4],
      entriesRead: 5,
      lag: 5,
      lagSource: "redis",
      oldestPending: { id: ids[0], consumer: "alice", deliveries: 1 },
    });
    expect(workers.oldestPending!.idleMs).toBeGreaterThanOrEqual(150);
    expect(workers.consumers.map((c) => [c.name, c.pending])).toEqual([
      ["alice", 3],
      ["bob", 2],
    ]);
  });

  it("acknowledging reduces what is pending; a second ack of the same ids changes nothing", async () => {
    expect(await ackEntries(CONN, key, "workers", [ids[0]!, ids[1]!])).toBe(2);
    expect(await ackEntries(CONN, key, "workers", [ids[0]!, ids[1]!])).toBe(0);

    const workers = await group("workers");

    expect(workers.pending).toBe(3);
    expect(workers.oldestPending?.id).toBe(ids[2]);
    expect(workers.consumers.find((c) => c.name === "alice")?.pending).toBe(1);
  });

  it("counts the lag itself when Redis cannot tell it after a deletion", async () => {
    await createGroup(CONN, key, "late", ids[5]!);
    await outside.xdel(key, ids[7]!);

    const late = await group("late");

    expect(late).toMatchObject({ pending: 0, oldestPending: null, lag: 3, lagSource: "counted" });
  });

  it("a binary group name round-trips from the typed escape", async () => {
    const created = await createGroup(CONN, key, "g\\xff", "$");

    expect(created).toEqual({ group: "g\\xff", ref: toKeyRef(Buffer.from([0x67, 0xff])) });
    expect((await group("g\\xff")).ref).toBe(created.ref);
  });

  it("creating a group that exists is a CONFLICT naming it", async () => {
    const error = await failure(createGroup(CONN, key, "workers", "$"));

    expect(error.code).toBe("CONFLICT");
    expect(error.message).toContain("A group named workers exists");
  });

  it("creating a group on a missing stream is NOT_FOUND and creates nothing", async () => {
    const error = await failure(createGroup(CONN, Buffer.from("jobs:typo"), "workers", "$"));

    expect(error.code).toBe("NOT_FOUND");
    expect(await outside.exists("jobs:typo")).toBe(0);
  });

  it("group operations on a string key are INVALID and name its type", async () => {
    await outside.set("jobs:counter", "7");
    const counter = Buffer.from("jobs:counter");

    for (const attempt of [
      streamGroups(CONN, counter),
      createGroup(CONN, counter, "g", "$"),
      ackEntries(CONN, counter, "g", ["1-0"]),
    ]) {
      const error = await failure(attempt);
      expect(error.code).toBe("INVALID");
      expect(error.message).toBe(`${displayBytes(counter)} is a string, not a stream.`);
    }
    expect(await outside.get("jobs:counter")).toBe("7");
  });
});
