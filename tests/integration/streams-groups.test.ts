import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Redis from "ioredis";
import { AppError } from "@/lib/errors";
import { displayBytes, toKeyRef } from "@/lib/redis/keys";
import { closeAllClients } from "@/lib/redis/registry";
import { ackEntries, createGroup, streamGroups, type GroupView } from "@/lib/streams/groups";
import type { RedisServerHandle } from "@/scripts/lib/redis-server";
import { startTestRedis } from "@/tests/helpers/redis";

// lib/streams/groups.ts: consumer groups read with their consumers and pending entries, created, acknowledged.
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
