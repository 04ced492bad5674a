import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Redis from "ioredis";
import { toKeyRef } from "@/lib/redis/keys";
import { closeAllClients } from "@/lib/redis/registry";
import { listStreams, type StreamListPage } from "@/lib/streams/list";
import type { RedisServerHandle } from "@/scripts/lib/redis-server";
import { startTestRedis } from "@/tests/helpers/redis";

// lib/streams/list.ts: streams found by SCAN … TYPE stream, one budgeted page at a time.
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
