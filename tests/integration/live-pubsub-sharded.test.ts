import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Redis, { type Cluster } from "ioredis";
import type { LiveMessage } from "@/lib/live/protocol";
import { pubSubHub } from "@/lib/live/pubsub";
import { displayBytes } from "@/lib/redis/keys";
import { watchSchema } from "@/lib/validation/live";
import type { RedisServerHandle } from "@/scripts/lib/redis-server";
import { startTestCluster } from "@/tests/helpers/cluster";
import { closeLivePath, liveTabs } from "@/tests/helpers/live";
import { startTestRedis } from "@/tests/helpers/redis";
import { reader } from "@/tests/helpers/sse-reader";

// Sharded pub/sub (SSUBSCRIBE/SPUBLISH, DESIGN.md: Scale) through the live hub, on a real cluster of
// three masters and on a single Redis. `cluster.client` and `single.client` play the applications;
// `nodes` are plain connections to each master, to ask a node what it holds (PUBSUB counts are per
// node).

const CLUSTER = "cluster";
const SINGLE = "single";
let cluster: { servers: RedisServerHandle[]; client: Cluster };
let nodes: Redis[];
let single: { server: RedisServerHandle; client: Redis };
const tab = liveTabs();

beforeAll(async () => {
  [cluster, single] = await Promise.all([startTestCluster(), startTestRedis()]);
  nodes = cluster.servers.map((handle) => new Redis(handle.url, { protocol: 2 }));
  process.env.CONSOLE_CONNECTIONS = JSON.stringify([
    { id: CLUSTER, type: "cluster", nodes: cluster.servers.map(({ port }) => ({ host: "127.0.0.1", port })) },
    { id: SINGLE, type: "standalone", url: single.server.url },
  ]);
});

afterAll(async () => {
  await closeLivePath();
  delete process.env.CONSOLE_CONNECTIONS;
  for (const node of nodes ?? []) node.disconnect();
  cluster?.client.disconnect();
  single?.client.disconnect();
  await Promise.all([...(cluster?.servers ?? []), single?.server].map((handle) => handle?.stop()));
});

/** The master (index into `nodes`) that owns the channel's slot. */
async function owner(channel: string | Buffer): Promise<number> {
  const slot = Number(await nodes[0]!.call("CLUSTER", "KEYSLOT", channel));
  const ranges = (await nodes[0]!.call("CLUSTER", "SLOTS")) as [number, number, [string, number]][];
  const port = ranges.find(([from, to]) => slot >= from && slot <= to)![2][1];
  return cluster.servers.findIndex((handle) => handle.port === port);
}

async function shardNumsub(node: Redis, channel: string | Buffer): Promise<number> {
  return Number(((await node.call("PUBSUB", "SHARDNUMSUB", channel)) as [string, number])[1]);
}

/** Connections ioredis opened to this node for sharded pub/sub (named `…(ssubscriber)…`). */
async function shardSubscriberConnections(node: Redis): Promise<number> {
  const list = String(await node.call("CLIENT", "LIST"));
  return list.split("\n").filter((line) => line.includes("(ssubscriber)")).length;
}

async function numsub(node: Redis, channel: string): Promise<number> {
  return Number(((await node.call("PUBSUB", "NUMSUB", channel)) as [string, number])[1]);
}

/** Subscriptions to `channel` summed over the masters: PUBSUB NUMSUB only counts its own node. */
async function clusterNumsub(channel: string): Promise<number> {
  const counts = await Promise.all(nodes.map((node) => numsub(node, channel)));
  return counts.reduce((sum, count) => sum + count, 0);
}

const texts = (messages: LiveMessage[], channel: string) =>
  messages.filter((m) => m.channel === channel).map((m) => m.payload.text);

describe("sharded channels on a cluster of three masters", () => {
  it("shares one SSUBSCRIBE per shard channel on the owning master and delivers each tab exactly its channels", async () => {
    // Three shard channels whose slots live on three different masters, and one nobody watches.
    const byOwner = new Map<number, string>();
    for (let i = 0; byOwner.size < 3; i++) {
      const name = `model:${i}:scores`;
      const node = await owner(name);
      if (!byOwner.has(node)) byOwner.set(node, name);
    }
    const [shared, onlyA, onlyB] = [...byOwner.values()];
    const [sharedNode, aNode, bNode] = [...byOwner.keys()].map((i) => nodes[i]!);
    const unwatched = "model:unwatched:scores";

    const [a, b] = [tab(CLUSTER), tab(CLUSTER)];
    const [ra, rb] = [reader(a), reader(b)];
    ra.start();
    rb.start();
    await a.watch([
      { kind: "shard", name: shared! },
      { kind: "shard", name: onlyA! },
    ]);
    // A master gets a shard subscriber connection only once one of its channels is watched.
    expect(await shardSubscriberConnections(bNode!)).toBe(0);
    await b.watch([
      { kind: "shard", name: shared! },
      { kind: "shard", name: onlyB! },
    ]);
    for (const node of nodes) expect(await shardSubscriberConnections(node)).toBe(1);
    const hub = pubSubHub(CLUSTER);
    expect(hub.size).toBe(3);
    expect(hub.listenerCount("shard", Buffer.from(shared!))).toBe(2);

    // One shared subscription, held by the master that owns the slot and by no other node.
    expect(await shardNumsub(sharedNode!, shared!)).toBe(1);
    expect(await shardNumsub(aNode!, onlyA!)).toBe(1);
    expect(await shardNumsub(bNode!, onlyB!)).toBe(1);
    for (const node of nodes.filter((node) => node !== sharedNode))
      expect(await shardNumsub(node, shared!)).toBe(0);

    const COUNT = 25;
    const channels = [shared!, onlyA!, onlyB!, unwatched];
    for (let i = 0; i < COUNT; i++) {
      for (const channel of channels) {
        const receivers = await cluster.client.spublish(channel, `${channel}#${i}`);
        // SPUBLISH counts subscriber connections: two tabs, still one.
        expect(receivers).toBe(channel === unwatched ? 0 : 1);
      }
    }
    // A classic PUBLISH to the same name is another channel: nobody here watches it.
    await cluster.client.publish(shared!, "classic, not sharded");

    const expected = (channel: string) => Array.from({ length: COUNT }, (_, i) => `${channel}#${i}`);
    await expect.poll(() => ra.messages().length).toBe(2 * COUNT);
    await expect.poll(() => rb.messages().length).toBe(2 * COUNT);
    // Channels on different masters arrive on different connections: order holds per channel.
    expect(texts(ra.messages(), shared!)).toEqual(expected(shared!));
    expect(texts(ra.messages(), onlyA!)).toEqual(expected(onlyA!));
    expect(texts(rb.messages(), shared!)).toEqual(expected(shared!));
    expect(texts(rb.messages(), onlyB!)).toEqual(expected(onlyB!));
    expect(new Set(ra.messages().map((m) => m.source))).toEqual(new Set(["shard"]));
    expect(ra.messages()[0]).not.toHaveProperty("pattern");

    // A leaves: the shared channel stays for B, A's own channel is released on its master.
    await a.close("tab closed");
    expect(await shardNumsub(sharedNode!, shared!)).toBe(1);
    expect(await shardNumsub(aNode!, onlyA!)).toBe(0);
    await cluster.client.spublish(shared!, "after A left");
    await expect.poll(() => texts(rb.messages(), shared!).at(-1)).toBe("after A left");

    // The last listener leaves: every master is back to zero.
    await b.unwatch([
      { kind: "shard", name: shared! },
      { kind: "shard", name: onlyB! },
    ]);
    expect(await shardNumsub(sharedNode!, shared!)).toBe(0);
    expect(await shardNumsub(bNode!, onlyB!)).toBe(0);
    expect(hub.size).toBe(0);
    expect(await cluster.client.spublish(shared!, "nobody listens")).toBe(0);
  });

  it("delivers a shard channel whose name is not UTF-8, shown with \\x escapes", async () => {
    const name = Buffer.from([0xff, 0x00, 0x7b, 0x61, 0x7d]); // \xff\x00{a}: hashes on "a"
    const client = tab(CLUSTER);
    const r = reader(client);
    r.start();
    await client.watch([{ kind: "shard", name: displayBytes(name) }]);
    const node = nodes[await owner(name)]!;
    expect(await shardNumsub(node, name)).toBe(1);
    await cluster.client.spublish(name, Buffer.from([0xfe, 0x01]));
    await expect.poll(() => r.messages().length).toBe(1);
    expect(r.messages()[0]).toMatchObject({
      source: "shard",
      channel: displayBytes(name),
      payload: { encoding: "hex", text: "fe01", size: 2 },
    });
    await client.close("done");
    expect(await shardNumsub(node, name)).toBe(0);
  });

  it("resubscribes after a master drops the shard subscriber connection, and only what is still watched", async () => {
    // Two shard channels on the same master: one stays watched, the other is released first, by a
    // tab other than the one that subscribed (ioredis must forget it whoever leaves last).
    const kept = "{recover}:kept";
    const released = "{recover}:released";
    const node = nodes[await owner(kept)]!;
    const [client, other] = [tab(CLUSTER), tab(CLUSTER)];
    const r = reader(client);
    r.start();
    await client.watch([
      { kind: "shard", name: kept },
      { kind: "shard", name: released },
    ]);
    await other.watch([{ kind: "shard", name: released }]);
    await client.unwatch([{ kind: "shard", name: released }]);
    expect(await shardNumsub(node, released)).toBe(1);
    await other.unwatch([{ kind: "shard", name: released }]);
    expect(await shardNumsub(node, kept)).toBe(1);
    expect(await shardNumsub(node, released)).toBe(0);

    await node.call("CLIENT", "KILL", "TYPE", "pubsub");
    expect(await shardNumsub(node, kept)).toBe(0);
    await expect.poll(() => shardNumsub(node, kept), { timeout: 15_000 }).toBe(1);
    // ioredis must not bring back a channel the hub already gave up.
    expect(await shardNumsub(node, released)).toBe(0);
    await cluster.client.spublish(kept, "after the reconnect");
    await expect.poll(() => r.messages().map((m) => m.payload.text)).toContain("after the reconnect");
  });

  it("still carries classic channels and patterns: a PUBLISH on any master reaches the tab", async () => {
    const client = tab(CLUSTER);
    const r = reader(client);
    r.start();
    await client.watch([
      { kind: "channel", name: "events" },
      { kind: "pattern", name: "events:*" },
    ]);
    // One subscription for the whole cluster, on one node; the cluster bus carries PUBLISH to it.
    expect(await clusterNumsub("events")).toBe(1);
    for (const [i, node] of nodes.entries()) {
      await node.publish("events", `via node ${i}`);
      await node.publish(`events:${i}`, `pattern via node ${i}`);
    }
    await expect.poll(() => r.messages().length).toBe(2 * nodes.length);
    // Each node forwards over the cluster bus on its own link: no order across nodes.
    const channelTexts = r
      .messages()
      .filter((m) => m.source === "channel")
      .map((m) => m.payload.text);
    expect(channelTexts.sort()).toEqual(nodes.map((_, i) => `via node ${i}`));
    const matched = r.messages().filter((m) => m.source === "pattern");
    expect(matched.map((m) => [m.channel, m.pattern, m.payload.text]).sort()).toEqual(
      nodes.map((_, i) => [`events:${i}`, "events:*", `pattern via node ${i}`]),
    );
    await client.close("done");
    await expect.poll(() => clusterNumsub("events")).toBe(0);
    expect(pubSubHub(CLUSTER).size).toBe(0);
  });
});

describe("sharded channels on a single Redis", () => {
  it("takes SSUBSCRIBE on the one subscriber connection, beside a classic channel of the same name", async () => {
    const [a, b] = [tab(SINGLE), tab(SINGLE)];
    const [ra, rb] = [reader(a), reader(b)];
    ra.start();
    rb.start();
    await a.watch([{ kind: "shard", name: "scores" }]);
    await b.watch([
      { kind: "shard", name: "scores" },
      { kind: "channel", name: "scores" },
    ]);
    expect(await shardNumsub(single.client, "scores")).toBe(1);
    expect(await numsub(single.client, "scores")).toBe(1);

    for (let i = 0; i < 10; i++) await single.client.spublish("scores", `s${i}`);
    await single.client.publish("scores", "classic");
    const shardTexts = Array.from({ length: 10 }, (_, i) => `s${i}`);
    await expect.poll(() => ra.messages().map((m) => m.payload.text)).toEqual(shardTexts);
    await expect.poll(() => rb.messages().length).toBe(11);
    expect(rb.messages().map((m) => [m.source, m.payload.text])).toEqual([
      ...shardTexts.map((text) => ["shard", text]),
      ["channel", "classic"],
    ]);
    expect(ra.messages()[0]).toMatchObject({ source: "shard", channel: "scores" });

    await a.close("tab closed");
    expect(await shardNumsub(single.client, "scores")).toBe(1);
    await b.close("tab closed");
    expect(await shardNumsub(single.client, "scores")).toBe(0);
    expect(await numsub(single.client, "scores")).toBe(0);
    expect(pubSubHub(SINGLE).size).toBe(0);
  });

  it("accepts shard targets in POST /api/live/watch", () => {
    const parsed = watchSchema.parse({
      client: "A".repeat(16),
      tab: "tab-0001",
      add: [{ kind: "shard", name: "scores" }],
    });
    expect(parsed.add).toEqual([{ kind: "shard", name: "scores" }]);
    expect(() =>
      watchSchema.parse({ client: "A".repeat(16), tab: "tab-0001", add: [{ kind: "sharded", name: "x" }] }),
    ).toThrow();
  });
});
