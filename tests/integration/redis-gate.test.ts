import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type Redis from "ioredis";
import { AppError } from "@/lib/errors";
import { closeFeed, subscribeFeed } from "@/lib/metrics/feed";
import { feedChannel } from "@/lib/metrics/store";
import { withClient, withState } from "@/lib/redis/gate";
import { closeAllClients } from "@/lib/redis/registry";
import type { RedisServerHandle } from "@/scripts/lib/redis-server";
import { startTestRedis } from "@/tests/helpers/redis";

// lib/redis/gate.ts: the one way lib/ reaches a client, and where console state's client comes from.

let data: { server: RedisServerHandle; client: Redis };
let state: { server: RedisServerHandle; client: Redis };

beforeAll(async () => {
  [data, state] = await Promise.all([startTestRedis(), startTestRedis()]);
  process.env.CONSOLE_CONNECTIONS = JSON.stringify([
    { id: "main", name: "Main box", type: "standalone", url: data.server.url },
  ]);
});

afterEach(async () => {
  closeFeed();
  await closeAllClients();
  delete process.env.CONSOLE_STATE_URL;
});

afterAll(async () => {
  delete process.env.CONSOLE_CONNECTIONS;
  for (const { server, client } of [data, state]) {
    client.disconnect();
    await server.stop();
  }
});

describe("withClient", () => {
  it("runs on the connection's client and maps a Redis refusal once, naming nothing raw", async () => {
    await data.client.set("gate:string", "x");
    expect(await withClient("main", (client) => client.get("gate:string"))).toBe("x");
    await expect(withClient("main", (client) => client.hget("gate:string", "f"))).rejects.toMatchObject({
      name: "AppError",
      code: "INVALID",
      message: "That key holds a different type of value than this operation expects.",
    });
  });

  it("answers NOT_FOUND for a connection nobody configured, without running anything", async () => {
    let ran = false;
    await expect(
      withClient("elsewhere", async () => {
        ran = true;
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(ran).toBe(false);
  });

  it("says which connection was lost, and lets the work's own AppError through unchanged", async () => {
    await expect(
      withClient("main", async () => {
        throw Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });
      }),
    ).rejects.toMatchObject({ code: "UNAVAILABLE", message: expect.stringContaining('"Main box"') });
    const own = new AppError("CONFLICT", "taken");
    await expect(withClient("main", async () => Promise.reject(own))).rejects.toBe(own);
  });
});

describe("withState", () => {
  it("keeps console state in the first connection unless CONSOLE_STATE_URL names another Redis", async () => {
    await withState((client) => client.set("__console:gate-probe", "first"));
    expect(await data.client.get("__console:gate-probe")).toBe("first");

    process.env.CONSOLE_STATE_URL = state.server.url;
    await withState((client) => client.set("__console:gate-probe", "apart"));
    expect(await state.client.get("__console:gate-probe")).toBe("apart");
    expect(await data.client.get("__console:gate-probe")).toBe("first");
  });

  it("names console state in its errors", async () => {
    process.env.CONSOLE_STATE_URL = state.server.url;
    await state.client.set("__console:gate-string", "x");
    await expect(withState((client) => client.lpush("__console:gate-string", "y"))).rejects.toMatchObject({
      code: "INVALID",
    });
    await expect(
      withState(async () => {
        throw Object.assign(new Error("gone"), { code: "ECONNRESET" });
      }),
    ).rejects.toMatchObject({ code: "UNAVAILABLE", message: expect.stringContaining('"console state"') });
  });

  it("gives the metrics feed a subscriber of its own on console state's Redis", async () => {
    process.env.CONSOLE_STATE_URL = state.server.url;
    const points: string[] = [];
    const stop = subscribeFeed("main", { onPoint: (stored) => points.push(stored.id), onResume: () => {} });
    try {
      const channel = feedChannel("main");
      await expect.poll(async () => state.client.pubsub("NUMSUB", channel)).toEqual([channel, 1]);
      expect(await data.client.pubsub("NUMSUB", channel)).toEqual([channel, 0]);
    } finally {
      stop();
    }
  });
});
