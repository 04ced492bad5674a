import "server-only";
import { AppError } from "@/lib/errors";
import { isCluster, type RedisNode } from "@/lib/redis/client";
import { withClient } from "@/lib/redis/gate";
import { displayBytes, toKeyRef, typedBytes } from "@/lib/redis/keys";
import { dataNodes } from "@/lib/redis/registry";

// Pub/sub at a glance: which channels have subscribers now, how many each, and how many pattern
// subscriptions exist; and publishing a message. Channel names are bytes (DESIGN.md contract 1).

export interface ChannelRow {
  /** The name as text, non-printable bytes escaped. */
  name: string;
  /** base64url of the name's bytes, for links and watch requests. */
  ref: string;
  subscribers: number;
}

export interface ChannelList {
  channels: ChannelRow[];
  /** Pattern subscriptions (PSUBSCRIBE) across the server or cluster. */
  patterns: number;
  /** More channels than MAX_CHANNELS matched; narrow the pattern to see the rest. */
  truncated: boolean;
}

export const MAX_CHANNELS = 1_000;

/**
 * PUBSUB CHANNELS has no COUNT: the server answers with every active channel in one reply, which
 * is as small as the number of channels with subscribers. What we bound is the work after it:
 * NUMSUB and the page only ever see the first MAX_CHANNELS names in byte order.
 */
async function activeChannels(node: RedisNode, pattern: Buffer | undefined): Promise<Buffer[]> {
  const args: (string | Buffer)[] = ["CHANNELS"];
  if (pattern) args.push(pattern);
  return (await node.callBuffer("PUBSUB", ...args)) as Buffer[];
}

/** Subscriber counts per channel on one node, in the order asked. */
async function subscriberCounts(node: RedisNode, channels: Buffer[]): Promise<number[]> {
  if (channels.length === 0) return [];
  const flat = (await node.callBuffer("PUBSUB", "NUMSUB", ...channels)) as (Buffer | number)[];
  return channels.map((_, i) => Number(flat[i * 2 + 1] ?? 0));
}

/** Distinct names in byte order; in a cluster the same channel can have subscribers on several nodes. */
function mergeNames(lists: Buffer[][]): Buffer[] {
  const byHex = new Map<string, Buffer>();
  for (const list of lists) for (const name of list) byHex.set(name.toString("hex"), name);
  return [...byHex.values()].sort(Buffer.compare);
}

export async function listChannels(
  connectionId: string,
  options: { pattern?: string } = {},
): Promise<ChannelList> {
  const pattern = options.pattern ? typedBytes(options.pattern) : undefined;
  return withClient(connectionId, async (client) => {
    // A classic PUBLISH reaches subscribers on every cluster node, but each node only reports the
    // subscribers connected to it: ask every master and add the counts up.
    const nodes = dataNodes(client);
    const merged = mergeNames(await Promise.all(nodes.map((node) => activeChannels(node, pattern))));
    const listed = merged.slice(0, MAX_CHANNELS);
    const [counts, patternCounts] = await Promise.all([
      Promise.all(nodes.map((node) => subscriberCounts(node, listed))),
      Promise.all(nodes.map((node) => node.call("PUBSUB", "NUMPAT") as Promise<number>)),
    ]);
    const channels = listed.map((name, i) => ({
      name: displayBytes(name),
      ref: toKeyRef(name),
      subscribers: counts.reduce((sum, perNode) => sum + (perNode[i] ?? 0), 0),
    }));
    const patterns = patternCounts.reduce((sum, count) => sum + count, 0);
    return { channels, patterns, truncated: merged.length > listed.length };
  });
}

/**
 * Publishes the exact bytes and answers how many clients received it. On a cluster a node's
 * PUBLISH reply only counts its own clients, so the message is published on one master and the
 * other masters' channel subscribers are added (their pattern subscribers cannot be counted).
 */
export async function publishMessage(
  connectionId: string,
  channel: Buffer,
  payload: Buffer,
): Promise<{ receivers: number }> {
  return withClient(connectionId, async (client, config) => {
    if (!isCluster(client)) return { receivers: await client.publish(channel, payload) };
    const [publisher, ...others] = dataNodes(client);
    if (!publisher) throw AppError.of("UNAVAILABLE", "noMasterToPublish", { connection: config.name });
    const local = await publisher.publish(channel, payload);
    const remote = await Promise.all(others.map((node) => subscriberCounts(node, [channel])));
    return { receivers: remote.reduce((sum, [count]) => sum + (count ?? 0), local) };
  });
}
