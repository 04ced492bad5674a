import "server-only";
import { metricsSampler } from "@/lib/metrics/samplers";
import { isCluster } from "@/lib/redis/client";
import { withClient } from "@/lib/redis/gate";
import {
  parseInfo,
  summarizeInfo,
  type InfoSections,
  type ServerMode,
  type ServerOverview,
} from "@/lib/redis/info";
import { dataNodes } from "@/lib/redis/registry";

export interface OverviewSnapshot extends ServerOverview {
  connection: { id: string; name: string; address: string };
  sampledAt: number;
}

/** The sampler's INFO is used while it is at most this old: it reads every second. */
const SAMPLER_INFO_MAX_AGE_MS = 2_500;

/**
 * The Overview page's figures: INFO from every data node, summed (DESIGN.md: Scale). They come
 * from the connection's metrics sampler, which reads INFO once a second whatever the number of
 * open pages; only when this instance has no fresh reading of its own (starting, or another
 * instance holds the sampling lease) is INFO read here.
 */
export async function getOverview(connectionId: string): Promise<OverviewSnapshot> {
  return withClient(connectionId, async (client, config) => {
    const mode: ServerMode = isCluster(client)
      ? "cluster"
      : config.spec.type === "sentinel"
        ? "sentinel"
        : "standalone";
    const sampler = metricsSampler(connectionId);
    sampler.touch();
    const recent = sampler.recentInfo(SAMPLER_INFO_MAX_AGE_MS);
    let nodes: InfoSections[];
    if (recent) nodes = recent.nodes;
    else nodes = (await Promise.all(dataNodes(client).map((node) => node.info()))).map(parseInfo);
    // No master known yet (a cluster still starting): the gate reports the connection down.
    if (nodes.length === 0) throw new Error("Connection is closed.");
    return {
      ...summarizeInfo(nodes, mode),
      connection: { id: config.id, name: config.name, address: config.address },
      sampledAt: recent?.at ?? Date.now(),
    };
  });
}
