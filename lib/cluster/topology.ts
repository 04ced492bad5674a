import "server-only";
import { sharedRead } from "@/lib/cluster/shared-read";
import {
  addNodeFlags,
  parseClusterNodesLines,
  parseClusterShards,
  shardsFromNodes,
  type ShardTopology,
  type TopologySource,
} from "@/lib/cluster/topology-parse";
import { AppError } from "@/lib/errors";
import type { Cluster } from "ioredis";
import { dataNodes } from "@/lib/redis/registry";

// Who holds which slots, read from one master with CLUSTER SHARDS (CLUSTER NODES on servers before
// 7.0, and for the link state and failover flags SHARDS leaves out). Shared by every viewer and
// read at most every few seconds per connection (lib/cluster/shared-read.ts).

export const TOPOLOGY_MAX_AGE_MS = 5_000;

export interface ClusterTopology {
  source: TopologySource;
  shards: ShardTopology[];
}

function isUnknownCommand(error: unknown): boolean {
  return error instanceof Error && /^ERR (unknown|Unknown)/.test(error.message);
}

async function readOnce(client: Cluster): Promise<ClusterTopology> {
  const [node] = dataNodes(client);
  if (!node) throw AppError.of("UNAVAILABLE", "clusterTopologyUnavailable");
  const [shardsReply, nodesReply] = await Promise.all([
    node.call("CLUSTER", "SHARDS").catch((error: unknown) => {
      if (isUnknownCommand(error)) return null;
      throw error;
    }),
    node.call("CLUSTER", "NODES"),
  ]);
  const lines = parseClusterNodesLines(String(nodesReply));
  const shards =
    shardsReply === null ? shardsFromNodes(lines) : addNodeFlags(parseClusterShards(shardsReply), lines);
  if (shards.length === 0) throw AppError.of("UNAVAILABLE", "clusterTopologyUnavailable");
  // Masters in slot order, the way operators number them.
  shards.sort((a, b) => (a.slots?.[0]?.[0] ?? SLOTLESS) - (b.slots?.[0]?.[0] ?? SLOTLESS));
  return { source: shardsReply === null ? "cluster-nodes" : "cluster-shards", shards };
}

const SLOTLESS = 1 << 20;

export function readClusterTopology(connectionId: string, client: Cluster): Promise<ClusterTopology> {
  return sharedRead(`topology:${connectionId}`, TOPOLOGY_MAX_AGE_MS, () => readOnce(client));
}
