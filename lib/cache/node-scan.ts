import "server-only";
import type { RedisNode } from "@/lib/redis/client";
import type { RedisClient } from "@/lib/redis/client";
import { dataNodes } from "@/lib/redis/registry";

// A budgeted SCAN over every data node for the Cache page's figures (namespaces, dry runs). The
// budget is shared between the nodes, so a cluster is sampled on every master rather than the
// first one only; each node reports how much of it was seen, so counts scale per node.

const SCAN_COUNT = 1_000;
const MIN_COUNT = 10;

export interface NodeSample {
  node: RedisNode;
  /** Distinct matching keys seen on this node, in SCAN order (SCAN's repeats removed). */
  keys: Buffer[];
  /** Keys examined, approximately (the COUNT of each call), at most dbSize. */
  examined: number;
  dbSize: number;
  /** The node's SCAN reached its end within the budget: its figures are exact. */
  complete: boolean;
}

/** How many keys one sampled key stands for on its node. */
export function sampleWeight(sample: NodeSample): number {
  if (sample.complete || sample.examined === 0) return 1;
  return sample.dbSize / sample.examined;
}

async function sampleNode(
  node: RedisNode,
  match: Buffer,
  budget: number,
  keep: (key: Buffer) => boolean,
): Promise<NodeSample> {
  const dbSize = await node.dbsize();
  const seen = new Set<string>();
  const keys: Buffer[] = [];
  let cursor = "0";
  let examined = 0;
  do {
    const count = Math.max(MIN_COUNT, Math.min(SCAN_COUNT, budget - examined));
    const [next, found] = (await node.callBuffer("SCAN", cursor, "MATCH", match, "COUNT", count)) as [
      Buffer,
      Buffer[],
    ];
    examined += Math.max(count, found.length);
    cursor = next.toString();
    for (const key of found) {
      const id = key.toString("latin1");
      if (seen.has(id) || !keep(key)) continue;
      seen.add(id);
      keys.push(key);
    }
  } while (cursor !== "0" && examined < budget);
  const complete = cursor === "0";
  return { node, keys, examined: complete ? dbSize : Math.min(examined, dbSize), dbSize, complete };
}

/** Samples `match` on every data node, `budget` keys examined in all, the nodes side by side. */
export async function sampleNodes(
  client: RedisClient,
  match: Buffer,
  budget: number,
  keep: (key: Buffer) => boolean,
): Promise<NodeSample[]> {
  const nodes = dataNodes(client);
  const share = Math.max(MIN_COUNT, Math.ceil(budget / Math.max(nodes.length, 1)));
  return Promise.all(nodes.map((node) => sampleNode(node, match, share, keep)));
}

/** The sample as a whole: whether any node was cut short, and how many keys were looked at. */
export function sampleTotals(samples: NodeSample[]): { sampled: boolean; examined: number; dbSize: number } {
  return {
    sampled: samples.some((sample) => !sample.complete),
    examined: samples.reduce((sum, sample) => sum + sample.examined, 0),
    dbSize: samples.reduce((sum, sample) => sum + sample.dbSize, 0),
  };
}
