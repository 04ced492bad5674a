import { randomBytes } from "node:crypto";
import Redis, { type Cluster } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAllClients } from "@/lib/redis/registry";
import type { SlowLogEntry } from "@/lib/slowlog/parse";
import { readSlowLog } from "@/lib/slowlog/read";
import type { RedisServerHandle } from "@/scripts/lib/redis-server";
import { startTestCluster } from "@/tests/helpers/cluster";
import { startTestRedis } from "@/tests/helpers/redis";

// The Cache page's slow log against real servers: a plain Redis logging every command, one that
// refuses CONFIG and one without SLOWLOG (as managed services ship them), and a cluster of three
// masters, each keeping its own log.

const MAIN = "main";
const NO_CONFIG = "no-config";
const NO_SLOWLOG = "no-slowlog";
const CLUSTER = "cluster";
const WRITER_NAME = "slowlog-test-writer";

type Single = { server: RedisServerHandle; client: Redis };
let main: Single;
let noConfig: Single;
let noSlowlog: Single;
let cluster: { servers: RedisServerHandle[]; client: Cluster };
let clusterNodes: Redis[] = [];
let writer: Redis;

beforeAll(async () => {
  [main, noConfig, noSlowlog, cluster] = await Promise.all([
    startTestRedis(),
    startTestRedis(["--rename-command", "CONFIG", "", "--slowlog-log-slower-than", "0"]),
    startTestRedis(["--rename-command", "SLOWLOG", ""]),
    startTestCluster(),
  ]);
  clusterNodes = cluster.servers.map((handle) => new Redis(handle.url, { protocol: 2 }));
  writer = new Redis(main.server.url, { protocol: 2, connectionName: WRITER_NAME });
  process.env.CONSOLE_CONNECTIONS = JSON.stringify([
    { id: MAIN, type: "standalone", url: main.server.url },
    { id: NO_CONFIG, type: "standalone", url: noConfig.server.url },
    { id: NO_SLOWLOG, type: "standalone", url: noSlowlog.server.url },
    { id: CLUSTER, type: "cluster", nodes: cluster.servers.map(({ port }) => ({ host: "127.0.0.1", port })) },
  ]);
});

afterAll(async () => {
  await closeAllClients();
  delete process.env.CONSOLE_CONNECTIONS;
  writer?.disconnect();
  for (const node of clusterNodes) node.disconnect();
  for (const single of [main, noConfig, noSlowlog]) single?.client.disconnect();
  cluster?.client.disconnect();
  await Promise.all(
    [main, noConfig, noSlowlog]
      .map((single) => single?.server.stop())
      .concat((cluster?.servers ?? []).map((handle) => handle.stop())),
  );
});

function withKey(entries: SlowLogEntry[], key: string): SlowLogEntry {
  const found = entries.find((entry) => entry.args[1]?.text === key);
  if (!found)
    throw new Error(`no slow log entry for ${key} in ${entries.map((e) => e.fullText).join(" | ")}`);
  return found;
}

describe("the slow log of a single Redis", () => {
  const key = `slowlog:test:${randomBytes(4).toString("hex")}`;
  const binaryKey = Buffer.concat([
    Buffer.from("slowlog:bin:"),
    Buffer.from([0xff, 0x00]),
    Buffer.from("end"),
  ]);

  beforeAll(async () => {
    await main.client.config("SET", "slowlog-log-slower-than", "0");
    await main.client.slowlog("RESET");
    await writer.set(key, "v".repeat(300));
    await writer.set(binaryKey, "x");
    await writer.rpush(`${key}:list`, ...Array.from({ length: 40 }, (_, i) => `e${i}`));
  });

  it("shows a logged command with its arguments cut, its duration and the client that sent it", async () => {
    const report = await readSlowLog(MAIN);
    const entry = withKey(report.entries, key);
    expect(entry.args[0]).toEqual({ text: "set", bytes: 3, cut: false });
    // Redis kept 128 of the 300 bytes; the page shows 64 characters and knows the full size.
    expect(entry.args[2]).toEqual({ text: `${"v".repeat(64)}…`, bytes: 300, cut: true });
    expect(entry.fullText).toBe(`set ${key} ${"v".repeat(128)}… (+172 bytes)`);
    expect(entry.clientName).toBe(WRITER_NAME);
    expect(entry.clientAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    // Duration and time exactly as Redis logged them.
    const logged = (await main.client.slowlog("GET", 128)) as [number, number, number, Buffer[]][];
    const raw = logged.find(([, , , args]) => String(args[1]) === key)!;
    expect(entry.durationMicros).toBe(raw[2]);
    expect(entry.timestamp).toBe(raw[1]);
    expect(report.cluster).toBe(false);
  });

  it("shows a binary key with its bytes escaped", async () => {
    const entry = withKey((await readSlowLog(MAIN)).entries, "slowlog:bin:\\xff\\x00end");
    expect(entry.clientName).toBe(WRITER_NAME);
  });

  it("counts the arguments Redis and the page left out of a long command", async () => {
    const entry = withKey((await readSlowLog(MAIN)).entries, `${key}:list`);
    expect(entry.argCount).toBe(42);
    expect(entry.args).toHaveLength(8);
    expect(entry.hiddenArgs).toBe(34);
    expect(entry.fullText).toMatch(/ … \(\+11 more arguments\)$/);
  });

  it("reads the thresholds and how many entries the server keeps", async () => {
    const report = await readSlowLog(MAIN);
    expect(report.thresholds).toEqual({ slowerThanMicros: 0, maxLength: 128, differ: false });
    expect(report.nodes).toHaveLength(1);
    expect(report.nodes[0]).toMatchObject({ slowerThanMicros: 0, maxLength: 128, configRefused: false });
    expect(report.nodes[0]!.length).toBeGreaterThanOrEqual(3);
  });

  it("returns the newest entries first, no more than asked", async () => {
    const report = await readSlowLog(MAIN, { limit: 2 });
    expect(report.entries).toHaveLength(2);
    expect(report.entries[0]!.id).toBeGreaterThan(report.entries[1]!.id);
  });
});

describe("the slow log where Redis refuses part of it", () => {
  it("still shows the entries when CONFIG is refused, the thresholds unknown", async () => {
    const key = `slowlog:locked:${randomBytes(4).toString("hex")}`;
    await noConfig.client.set(key, "v");
    const report = await readSlowLog(NO_CONFIG);
    expect(withKey(report.entries, key).args[0]!.text).toBe("set");
    expect(report.thresholds).toEqual({ slowerThanMicros: null, maxLength: null, differ: false });
    expect(report.nodes[0]).toMatchObject({ configRefused: true, slowerThanMicros: null, maxLength: null });
  });

  it("says plainly that a Redis without SLOWLOG has no slow log to show", async () => {
    await expect(readSlowLog(NO_SLOWLOG)).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringContaining("does not offer SLOWLOG"),
    });
  });
});

describe("the slow log of a cluster", () => {
  const keys = Array.from({ length: 12 }, (_, i) => `slowlog:{n${i}}:${randomBytes(3).toString("hex")}`);

  /** The test cluster's fixed slot ranges (tests/helpers/cluster.ts) → the owner's host:port. */
  async function owner(key: string): Promise<string> {
    const slot = Number(await clusterNodes[0]!.call("CLUSTER", "KEYSLOT", key));
    const index = slot <= 5460 ? 0 : slot <= 10922 ? 1 : 2;
    return `127.0.0.1:${cluster.servers[index]!.port}`;
  }

  beforeAll(async () => {
    await Promise.all(
      clusterNodes.map(async (node, i) => {
        await node.config("SET", "slowlog-log-slower-than", "0");
        await node.config("SET", "slowlog-max-len", i === 2 ? "256" : "128");
        await node.slowlog("RESET");
      }),
    );
    for (const key of keys) await cluster.client.set(key, "v");
  });

  it("reads every master's log and tags each entry with its node", async () => {
    const report = await readSlowLog(CLUSTER, { limit: 500 });
    expect(report.cluster).toBe(true);
    const ports = cluster.servers.map(({ port }) => `127.0.0.1:${port}`).sort();
    expect(report.nodes.map((node) => node.node)).toEqual(ports);
    for (const key of keys) expect(withKey(report.entries, key).node).toBe(await owner(key));
    expect(new Set(keys.map((key) => withKey(report.entries, key).node)).size).toBeGreaterThan(1);
  });

  it("merges the nodes newest first and says when their thresholds differ", async () => {
    const report = await readSlowLog(CLUSTER, { limit: 500 });
    const times = report.entries.map((entry) => entry.timestamp);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(report.thresholds).toMatchObject({ slowerThanMicros: 0, differ: true });
    expect(report.nodes.map((node) => node.maxLength).sort()).toEqual([128, 128, 256]);
  });
});
