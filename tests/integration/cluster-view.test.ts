import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Redis, { type Cluster } from "ioredis";
import { getClusterView, type ClusterView } from "@/lib/cluster";
import { findSkewCause } from "@/lib/cluster/cause";
import { forgetSharedReads } from "@/lib/cluster/shared-read";
import { SLOT_COUNT } from "@/lib/cluster/topology-parse";
import { closeMetricsSamplers } from "@/lib/metrics/samplers";
import { closeAllClients } from "@/lib/redis/registry";
import type { RedisServerHandle } from "@/scripts/lib/redis-server";
import { startTestClusterWithReplicas } from "@/tests/helpers/cluster-replicas";
import { startTestRedis } from "@/tests/helpers/redis";

// The Cluster page's view against a real local cluster of three masters with one replica each:
// the topology, the per-shard figures from the sampler, the skew and its cause, hot keys.
const MAIN = "main";
const CLUSTER = "cluster";
let main: { server: RedisServerHandle; client: Redis };
let cluster: { servers: RedisServerHandle[]; replicas: RedisServerHandle[]; client: Cluster };

beforeAll(async () => {
  [main, cluster] = await Promise.all([startTestRedis(), startTestClusterWithReplicas()]);
  // Console state lives in the first connection: the standalone one, so the cluster holds only test data.
  process.env.CONSOLE_CONNECTIONS = JSON.stringify([
    { id: MAIN, type: "standalone", url: main.server.url },
    { id: CLUSTER, type: "cluster", nodes: cluster.servers.map(({ port }) => ({ host: "127.0.0.1", port })) },
  ]);
});

afterAll(async () => {
  await closeMetricsSamplers();
  await closeAllClients();
  delete process.env.CONSOLE_CONNECTIONS;
  main?.client.disconnect();
  cluster?.client.disconnect();
  await Promise.all(
    [main?.server, ...(cluster?.servers ?? []), ...(cluster?.replicas ?? [])].map((handle) => handle?.stop()),
  );
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The view once the sampler has read INFO after `since` (so it reflects what the test wrote). */
async function viewAfter(since: number, connection = CLUSTER): Promise<ClusterView> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    forgetSharedReads();
    const view = await getClusterView(connection, "1m");
    if (view.sampledAt !== null && view.sampledAt > since && view.shards.every((shard) => shard.figures)) {
      return view;
    }
    if (Date.now() > deadline) throw new Error("the sampler did not read INFO in time");
    await sleep(200);
  }
}

function nodeClient(address: string): Redis {
  const [host, port] = address.split(":");
  return new Redis({ host, port: Number(port), protocol: 2 });
}

async function write(client: Cluster, keys: string[], value = "v"): Promise<void> {
  for (let i = 0; i < keys.length; i += 200) {
    await Promise.all(keys.slice(i, i + 200).map((key) => client.set(key, value)));
  }
}

describe("the cluster's topology", () => {
  it("lists three masters with a replica each, whose slot counts add up to 16,384", async () => {
    const view = await viewAfter(0);
    expect(view.mode).toBe("cluster");
    expect(view.source).toBe("cluster-shards");
    expect(view.shards).toHaveLength(3);
    for (const shard of view.shards) {
      expect(shard.master.role).toBe("master");
      expect(shard.replicas).toHaveLength(1);
      expect(shard.replicas[0]!.link).toBe("connected");
    }
    const counted = view.shards.flatMap((shard) => shard.slots ?? []);
    expect(counted.reduce((sum, [start, end]) => sum + end - start + 1, 0)).toBe(SLOT_COUNT);
    expect(view.shards.reduce((sum, shard) => sum + (shard.slotCount ?? 0), 0)).toBe(SLOT_COUNT);
    expect(view.slotsAssigned).toBe(SLOT_COUNT);
  });

  it("shows a replica's lag while it sleeps and its master takes writes", async () => {
    const shard = (await viewAfter(0)).shards[0]!;
    const replica = nodeClient(shard.replicas[0]!.address);
    const master = nodeClient(shard.master.address);
    try {
      const sleeping = replica.call("DEBUG", "SLEEP", "3");
      await sleep(200);
      // Keys for this master: a hash tag whose slot it serves.
      const tag = await tagOnShard(master, shard.slots ?? []);
      await write(
        cluster.client,
        Array.from({ length: 200 }, (_, i) => `{${tag}}:lag:${i}`),
        "x".repeat(1_000),
      );
      const view = await viewAfter(Date.now());
      const lagging = view.shards.find((s) => s.id === shard.id)!.replicas[0]!;
      expect(lagging.lagBytes).toBeGreaterThan(100_000);
      await sleeping;
    } finally {
      replica.disconnect();
      master.disconnect();
    }
  });
});

/** A hash tag whose slot falls in the ranges. */
async function tagOnShard(node: Redis, ranges: [number, number][]): Promise<string> {
  for (let i = 0; ; i++) {
    const slot = Number(await node.call("CLUSTER", "KEYSLOT", `t${i}`));
    if (ranges.some(([start, end]) => slot >= start && slot <= end)) return `t${i}`;
  }
}

describe("the per-shard figures", () => {
  it("count each master's keys as its DBSIZE does", async () => {
    await write(
      cluster.client,
      Array.from({ length: 600 }, (_, i) => `spread:${i}`),
    );
    const view = await viewAfter(Date.now());
    for (const shard of view.shards) {
      const master = nodeClient(shard.master.address);
      try {
        expect(shard.figures!.keys).toBe(await master.dbsize());
      } finally {
        master.disconnect();
      }
    }
  });
});

/** The test cluster's master serving `slot`, from CLUSTER NODES (`<id> <host:port@bus> master … <from>-<to>`). */
async function masterOfSlot(slot: number): Promise<RedisServerHandle> {
  const lines = String(await cluster.client.call("CLUSTER", "NODES"))
    .trim()
    .split("\n");
  const serving = lines.find((line) => {
    const fields = line.split(" ");
    return (
      fields[2]?.includes("master") &&
      fields.slice(8).some((range) => {
        const [from = -1, to = from] = range.split("-").map(Number);
        return slot >= from && slot <= to;
      })
    );
  });
  const port = Number(serving?.split(" ")[1]?.split("@")[0]?.split(":")[1]);
  const server = cluster.servers.find((candidate) => candidate.port === port);
  if (!server) throw new Error(`no master serves slot ${slot}`);
  return server;
}

/** `count` keys without a hash tag whose slot is `slot`, found by asking CLUSTER KEYSLOT. */
async function untaggedKeysInSlot(slot: number, count: number): Promise<string[]> {
  const found: string[] = [];
  for (let from = 0; found.length < count; from += 2_000) {
    const candidates = Array.from({ length: 2_000 }, (_, i) => `stray:${from + i}`);
    const slots = await Promise.all(
      candidates.map((key) => cluster.client.call("CLUSTER", "KEYSLOT", key) as Promise<number>),
    );
    found.push(...candidates.filter((_, i) => Number(slots[i]) === slot));
  }
  return found.slice(0, count);
}

describe("skew", () => {
  it("names the hash tag that pins a namespace to one slot as the cause", async () => {
    const keys = Array.from({ length: 6_000 }, (_, i) => `{tenant:7}:item:${i}`);
    const slot = Number(await cluster.client.call("CLUSTER", "KEYSLOT", "{tenant:7}:item:0"));
    // Untagged keys that hash to the same slot by chance: the tag is still the slot's cause.
    await write(cluster.client, [...keys, ...(await untaggedKeysInSlot(slot, 2))]);
    const view = await viewAfter(Date.now());
    expect(view.skew.verdict).toBe("skewed");
    const worst = view.skew.worst!;
    const owner = view.shards.findIndex((shard) =>
      (shard.slots ?? []).some(([start, end]) => slot >= start && slot <= end),
    );
    expect(worst.shard).toBe(owner);
    expect(worst.ratio).toBeGreaterThanOrEqual(view.skew.ratio);
    expect(view.cause?.shard).toBe(owner);
    expect(view.cause?.slotsChecked).toBe(view.shards[owner]!.slotCount);
    expect(view.cause?.topSlots[0]).toMatchObject({ slot, keys: 6_002, tag: "tenant:7" });
    expect(view.cause?.pinned).toMatchObject({ slot, tag: "tenant:7", keys: 6_002 });
    expect(view.cause?.hashTags[0]?.tag).toBe("tenant:7");
  });

  it("names a slot's tag by what most of its keys share, untagged strays in the same slot or not", async () => {
    // Three tagged keys and two strays: the whole slot is the sample, so the strays are always in it.
    const slot = Number(await cluster.client.call("CLUSTER", "KEYSLOT", "{tiny}"));
    await write(cluster.client, [
      ...["a", "b", "c"].map((k) => `{tiny}:${k}`),
      ...(await untaggedKeysInSlot(slot, 2)),
    ]);
    const owner = await masterOfSlot(slot);
    const node = new Redis(owner.url, { protocol: 2 });
    try {
      const cause = await findSkewCause(node, 0, [[slot, slot]], 5);
      expect(cause.topSlots[0]).toMatchObject({ slot, keys: 5, tag: "tiny" });
      // The keys shown are the tag's own, to illustrate the cause.
      expect(cause.topSlots[0]!.sample.map((key) => key.key).sort()).toEqual([
        "{tiny}:a",
        "{tiny}:b",
        "{tiny}:c",
      ]);
    } finally {
      node.disconnect();
    }
  });
});

describe("hot keys", () => {
  it("say how to enable LFU under another policy, and list the most read keys under LFU", async () => {
    expect((await viewAfter(0)).hotKeys).toEqual({ lfu: false, policy: "noeviction" });
    const masters = cluster.servers.map((server) => new Redis(server.url, { protocol: 2 }));
    try {
      // A small keyspace, so the sample holds every key (a sample of a big one finds a hot key by chance).
      await Promise.all(masters.map((master) => master.flushall()));
      await Promise.all(masters.map((master) => master.config("SET", "maxmemory-policy", "allkeys-lfu")));
      await write(
        cluster.client,
        Array.from({ length: 300 }, (_, i) => `cold:${i}`),
      );
      await cluster.client.set("hot:model", "1");
      for (let i = 0; i < 2_000; i++) void cluster.client.get("hot:model");
      await cluster.client.get("hot:model");
      const view = await viewAfter(Date.now());
      expect(view.hotKeys.lfu).toBe(true);
      if (!view.hotKeys.lfu) return;
      const listed = view.hotKeys.shards.flatMap((shard) => shard.keys);
      const hottest = listed.sort((a, b) => b.freq - a.freq)[0];
      expect(hottest?.key).toBe("hot:model");
    } finally {
      await Promise.all(masters.map((master) => master.config("SET", "maxmemory-policy", "noeviction")));
      for (const master of masters) master.disconnect();
    }
  });
});

describe("the sampler's INFO is the page's only INFO", () => {
  it("sends no INFO of its own however often the page is read", async () => {
    const probe = nodeClient(`127.0.0.1:${cluster.servers[0]!.port}`);
    const infoCalls = async () =>
      Number(/cmdstat_info:calls=(\d+)/.exec(await probe.info("commandstats"))?.[1]);
    try {
      await viewAfter(0);
      const before = await infoCalls();
      const started = Date.now();
      for (let i = 0; i < 30; i++) await getClusterView(CLUSTER, "1m");
      await sleep(1_000);
      const seconds = (Date.now() - started) / 1_000;
      // The sampler's one a second, and the probe's own first read.
      expect((await infoCalls()) - before).toBeLessThanOrEqual(Math.ceil(seconds) + 2);
    } finally {
      probe.disconnect();
    }
  });
});

describe("a standalone server", () => {
  it("shows as one shard holding every key", async () => {
    const view = await viewAfter(0, MAIN);
    expect(view.mode).toBe("standalone");
    expect(view.shards).toHaveLength(1);
    expect(view.shards[0]!.slots).toBeNull();
    expect(view.skew.verdict).toBe("single");
  });
});
