import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Redis from "ioredis";
import { AppError } from "@/lib/errors";
import { closeAllClients } from "@/lib/redis/registry";
import { readEntries } from "@/lib/streams/entries";
import type { RedisServerHandle } from "@/scripts/lib/redis-server";
import { startTestRedis } from "@/tests/helpers/redis";

// lib/streams/entries.ts: one XRANGE/XREVRANGE page of a stream.
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
