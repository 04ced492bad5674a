import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordLookup } from "@/lib/cache/hit-counter";
import { hitRatesReader } from "@/lib/cache/hit-rates-feed";
import type { HitRatesEvent, SlowLogEvent } from "@/lib/live/protocol";
import { slowLogReader } from "@/lib/slowlog/feed";
import { liveTabs, withLiveRedis } from "@/tests/helpers/live";
import { reader } from "@/tests/helpers/sse-reader";
import type { RedisServerHandle } from "@/scripts/lib/redis-server";
import { startTestRedis } from "@/tests/helpers/redis";

// The Cache page's hit rates and slow log on the tab's live stream (lib/cache/hit-rates-feed.ts,
// lib/slowlog/feed.ts): one reader per connection, so ten tabs cost Redis what one does. Redis
// counts the work itself (INFO commandstats). Each reader here is made with an hour-long period,
// so it reads only when a tab first asks and when the test says so: the counts are the reads' own
// (and the hit-rates reader takes its slice of older minutes one at a time).

const redis = withLiveRedis();
const openTab = liveTabs();
const TABS = 10;
/** A server without SLOWLOG, as some managed services ship it. */
let noSlowlog: { server: RedisServerHandle; client: { disconnect(): void } };

beforeAll(async () => {
  noSlowlog = await startTestRedis(["--rename-command", "SLOWLOG", ""]);
  // After withLiveRedis's hook: "main" and this one, before anything reads the list.
  const connections = JSON.parse(process.env.CONSOLE_CONNECTIONS!) as unknown[];
  process.env.CONSOLE_CONNECTIONS = JSON.stringify([
    ...connections,
    { id: "no-slowlog", type: "standalone", url: noSlowlog.server.url },
  ]);
});

afterAll(async () => {
  noSlowlog?.client.disconnect();
  await noSlowlog?.server.stop();
});

function tab() {
  const client = openTab();
  const r = reader(client);
  r.start();
  return { client, r };
}

/** Calls of a command (all its subcommands: `slowlog|get`, `slowlog|len` …) Redis has run. */
async function calls(command: string): Promise<number> {
  const stats = await redis.client.info("commandstats");
  const lines = stats.split("\n").filter((line) => line.startsWith(`cmdstat_${command}`));
  return lines.reduce((sum, line) => sum + Number(/calls=(\d+)/.exec(line)?.[1] ?? 0), 0);
}

function eventsOf<T>(r: ReturnType<typeof reader>, name: string): T[] {
  return r.events.filter((e) => e.event === name).map((e) => e.data as T);
}

describe("hit rates over the live stream", () => {
  it("reads the window once for every tab watching it, then only the newest minutes", async () => {
    const feed = hitRatesReader("main", { intervalMs: 3_600_000, graceMs: 0, fullReadMs: 1e12 });
    for (let i = 0; i < 3; i++) await recordLookup(redis.client, "feed", true);
    await recordLookup(redis.client, "feed", false);

    const before = await calls("hscan");
    const tabs = Array.from({ length: TABS }, () => tab());
    for (const { client } of tabs) await client.watch([{ kind: "hitRates", name: "1h" }]);
    const newest = (r: ReturnType<typeof reader>) =>
      eventsOf<HitRatesEvent>(r, "hitRates").at(-1)?.rates?.namespaces[0];
    for (const { r } of tabs)
      await expect.poll(() => newest(r)).toMatchObject({ namespace: "feed", hits: 3, misses: 1 });
    await feed.poller.readNow();
    // The hour's 60 minute hashes once, and in each of the two reads since (the one the reader
    // starts with, the test's) the newest two or three and one older; ten readers would send 600.
    const first = (await calls("hscan")) - before;
    expect(first).toBeGreaterThanOrEqual(60);
    expect(first).toBeLessThanOrEqual(68);

    // Later lookups arrive with the next read, which asks only for the minutes still counting.
    await recordLookup(redis.client, "feed", true);
    await recordLookup(redis.client, "feed", true);
    const later = await calls("hscan");
    await feed.poller.readNow();
    expect((await calls("hscan")) - later).toBeLessThanOrEqual(4);
    for (const { r } of tabs) expect(newest(r)).toMatchObject({ hits: 5, misses: 1 });

    // Every tab gone: a read sends Redis nothing.
    for (const { client } of tabs) await client.close("tab closed");
    const idle = await calls("hscan");
    await feed.poller.readNow();
    expect(await calls("hscan")).toBe(idle);
  });
});

describe("slow log over the live stream", () => {
  it("checks one id per node for every tab, and reads the whole log only when a command was logged", async () => {
    const feed = slowLogReader("main", { intervalMs: 3_600_000, graceMs: 0 });
    const before = await calls("slowlog");
    const tabs = Array.from({ length: TABS }, () => tab());
    for (const { client } of tabs) await client.watch([{ kind: "slowlog", name: "50" }]);
    for (const { r } of tabs)
      await expect.poll(() => eventsOf<SlowLogEvent>(r, "slowlog").at(-1)?.report?.limit).toBe(50);
    await feed.poller.readNow();
    // One whole read (SLOWLOG GET 1, GET 50, LEN) and a check (GET 1) in each later read.
    const first = (await calls("slowlog")) - before;
    expect(first).toBeGreaterThanOrEqual(4);
    expect(first).toBeLessThanOrEqual(5);

    const quiet = await calls("slowlog");
    await feed.poller.readNow();
    expect((await calls("slowlog")) - quiet).toBe(1);

    // A slow command: the next check sees a new id, and the whole log is read and pushed to every tab.
    await redis.client.config("SET", "slowlog-log-slower-than", "0");
    await redis.client.set("feed:slow", "logged");
    await redis.client.config("SET", "slowlog-log-slower-than", "10000");
    const logged = await calls("slowlog");
    await feed.poller.readNow();
    expect((await calls("slowlog")) - logged).toBe(3);
    const commands = (r: ReturnType<typeof reader>) =>
      (eventsOf<SlowLogEvent>(r, "slowlog").at(-1)?.report?.entries ?? []).map((entry) =>
        entry.args.map((arg) => arg.text).join(" "),
      );
    for (const { r } of tabs) expect(commands(r)).toContain("set feed:slow logged");
  });

  it("tells every tab why the log cannot be read", async () => {
    const tabs = [openTab("no-slowlog"), openTab("no-slowlog")].map((client) => {
      const r = reader(client);
      r.start();
      return { client, r };
    });
    for (const { client } of tabs) await client.watch([{ kind: "slowlog", name: "50" }]);
    for (const { r } of tabs) {
      await expect.poll(() => eventsOf<SlowLogEvent>(r, "slowlog").at(-1)?.error?.code).toBe("FORBIDDEN");
      const event = eventsOf<SlowLogEvent>(r, "slowlog").at(-1)!;
      expect(event.report).toBeNull();
      expect(event.error?.message).toContain("SLOWLOG");
    }
  });

  it("refuses a length or a range the feeds do not have", async () => {
    const { watchSchema } = await import("@/lib/validation/live");
    const change = (add: unknown[]) =>
      watchSchema.safeParse({ client: "abcdefghijklmnop", tab: "abcdefgh", add }).success;
    expect(change([{ kind: "slowlog", name: "50" }])).toBe(true);
    expect(change([{ kind: "slowlog", name: "0" }])).toBe(false);
    expect(change([{ kind: "slowlog", name: "501" }])).toBe(false);
    expect(change([{ kind: "hitRates", name: "24h" }])).toBe(true);
    expect(change([{ kind: "hitRates", name: "5m" }])).toBe(false);
  });
});
