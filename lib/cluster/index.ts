import "server-only";
import { findSkewCause, type SkewCause } from "@/lib/cluster/cause";
import { readHotKeys, type HotKeys } from "@/lib/cluster/hot-keys";
import { shardFigures, shardPoints, type ShardFigures, type ShardPoint } from "@/lib/cluster/shard-figures";
import { sharedRead } from "@/lib/cluster/shared-read";
import { judgeSkew, type SkewReport } from "@/lib/cluster/skew";
import { readClusterTopology } from "@/lib/cluster/topology";
import {
  applyReplicationInfo,
  singleShard,
  type ShardTopology,
  type TopologySource,
} from "@/lib/cluster/topology-parse";
import { nodeAddress, type NodeReading } from "@/lib/metrics/info-reader";
import { METRICS_RANGES } from "@/lib/metrics/ranges";
import { metricsSampler } from "@/lib/metrics/samplers";
import { isCluster, type RedisClient, type RedisNode } from "@/lib/redis/client";
import { withClient } from "@/lib/redis/gate";
import type { ServerMode } from "@/lib/redis/info";
import { dataNodes } from "@/lib/redis/registry";
import type { ClusterRange } from "@/lib/validation/cluster-ranges";

// The Cluster page: every shard with its replicas and slots, its live figures from the metrics
// sampler's per-node INFO (no INFO of its own), whether the shards are skewed, and why. The
// topology and the analysis (slot counts, sampled key sizes, hot keys) are shared by every viewer
// and refreshed at most every 5 and 30 seconds, so ten open pages cost Redis what one does.

export type { SkewCause } from "@/lib/cluster/cause";
export type { HotKeys } from "@/lib/cluster/hot-keys";
export type { ShardFigures, ShardPoint } from "@/lib/cluster/shard-figures";
export type { SkewReport } from "@/lib/cluster/skew";
export type { ShardTopology, TopologyNode } from "@/lib/cluster/topology-parse";
export type { ClusterRange } from "@/lib/validation/cluster-ranges";

/** The sampler's INFO is used while at most this old: it reads every second. */
const INFO_MAX_AGE_MS = 3_000;
/** How long a cause and hot-keys analysis is reused. */
export const ANALYSIS_MAX_AGE_MS = 30_000;

export interface ShardView extends ShardTopology {
  figures: ShardFigures | null;
  points: ShardPoint[];
}

export interface ClusterView {
  connection: { id: string; name: string };
  mode: ServerMode;
  source: TopologySource;
  range: ClusterRange;
  stepMs: number;
  /** When the sampler last read INFO here; null when another console instance samples. */
  sampledAt: number | null;
  shards: ShardView[];
  /** Slots assigned over all shards (16,384 when every slot is served); null outside a cluster. */
  slotsAssigned: number | null;
  skew: SkewReport;
  /** Why the skewed shard holds more; null when nothing is skewed. */
  cause: SkewCause | null;
  hotKeys: HotKeys;
  /** When the cause and hot keys were read (they are shared for ANALYSIS_MAX_AGE_MS). */
  analyzedAt: number;
}

function modeOf(client: RedisClient, type: string): ServerMode {
  if (isCluster(client)) return "cluster";
  return type === "sentinel" ? "sentinel" : "standalone";
}

async function topologyOf(
  connectionId: string,
  client: RedisClient,
  readings: NodeReading[],
  fallbackAddress: string,
): Promise<{ source: TopologySource; shards: ShardTopology[] }> {
  if (!isCluster(client)) {
    const reading = readings[0];
    return {
      source: "info",
      shards: [singleShard(reading?.address ?? fallbackAddress, reading?.info.replication)],
    };
  }
  const topology = await readClusterTopology(connectionId, client);
  // A copy: the shared answer is not changed by one viewer's replication figures.
  const shards = structuredClone(topology.shards);
  for (const shard of shards) {
    const reading = readings.find((entry) => entry.address === shard.master.address);
    if (reading) applyReplicationInfo(shard, reading.info.replication);
  }
  return { source: topology.source, shards };
}

async function maxMemoryPolicy(node: RedisNode | undefined, readings: NodeReading[]): Promise<string> {
  const fromInfo = readings[0]?.info.memory?.maxmemory_policy;
  if (fromInfo) return fromInfo;
  if (!node) return "";
  const reply = (await node.config("GET", "maxmemory-policy").catch(() => [])) as string[];
  return reply[1] ?? "";
}

export async function getClusterView(connectionId: string, range: ClusterRange): Promise<ClusterView> {
  const sampler = metricsSampler(connectionId);
  sampler.touch();
  await sampler.ready();
  return withClient(connectionId, async (client, config) => {
    const now = Date.now();
    const recent = sampler.recentInfo(INFO_MAX_AGE_MS, now);
    const readings = recent?.readings ?? [];
    const { source, shards } = await topologyOf(connectionId, client, readings, config.address);
    const { spanMs, stepMs } = METRICS_RANGES[range];
    const from = now - spanMs;
    const views: ShardView[] = shards.map((shard) => {
      const points = sampler.nodeSeries.points(shard.master.address, from);
      return {
        ...shard,
        figures: shardFigures(points, from, now),
        points: shardPoints(points, from, now, stepMs),
      };
    });
    const skew = judgeSkew(
      views.map(({ figures }) => ({
        keys: figures?.keys ?? null,
        memory: figures?.usedMemory ?? null,
        ops: figures?.opsPerSec ?? null,
      })),
    );
    const nodes = dataNodes(client);
    const nodeOf = (shard: ShardTopology) =>
      nodes.find((node) => nodeAddress(node) === shard.master.address) ??
      (isCluster(client) ? undefined : nodes[0]);
    const worst = skew.worst ? views[skew.worst.shard] : undefined;
    const analysis = await sharedRead(
      // A new skewed shard or eviction policy is a new question, answered at once.
      `analysis:${connectionId}:${worst?.master.address ?? "-"}:${readings[0]?.info.memory?.maxmemory_policy}`,
      ANALYSIS_MAX_AGE_MS,
      async () => {
        const worstNode = worst && nodeOf(worst);
        const cause =
          worst && worstNode && skew.worst
            ? await findSkewCause(worstNode, skew.worst.shard, worst.slots, worst.figures?.keys ?? 0)
            : null;
        const masters = views.flatMap((shard, index) => {
          const node = nodeOf(shard);
          return node ? [{ shard: index, node, address: shard.master.address }] : [];
        });
        const hotKeys = await readHotKeys(masters, await maxMemoryPolicy(nodes[0], readings));
        return { cause, hotKeys, at: Date.now() };
      },
    );
    return {
      connection: { id: config.id, name: config.name },
      mode: modeOf(client, config.spec.type),
      source,
      range,
      stepMs,
      sampledAt: recent?.at ?? null,
      shards: views,
      slotsAssigned: isCluster(client)
        ? shards.reduce((sum, shard) => sum + (shard.slotCount ?? 0), 0)
        : null,
      skew,
      cause: analysis.cause,
      hotKeys: analysis.hotKeys,
      analyzedAt: analysis.at,
    };
  });
}
