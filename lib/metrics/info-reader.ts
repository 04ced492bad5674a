import "server-only";
import type { RedisNode } from "@/lib/redis/client";
import { withClient } from "@/lib/redis/gate";
import type { SampleMark } from "@/lib/metrics/own-marks";
import { parseInfo, type InfoSections } from "@/lib/redis/info";
import { ownTrafficOf, type OwnClientTraffic } from "@/lib/redis/own-reads";
import { dataNodes, holdsConsoleState } from "@/lib/redis/registry";

// INFO as the sampler reads it once a second: from every data node of a connection, only the
// sections the charts and the Overview use.

/** `server` for the uptime that tells a restart apart; `replication` for the Overview's role,
 * which reads the sampler's INFO rather than its own (lib/overview). */
const INFO_SECTIONS = ["server", "replication", "clients", "memory", "stats", "keyspace", "commandstats"];

/** One data node's INFO, where it is, and the console's own traffic to it when INFO answered. */
export interface NodeReading {
  /** host:port as the client reaches it. */
  address: string;
  info: InfoSections;
  own: OwnClientTraffic;
}

/** The newest INFO, summed by the Overview and read per node by the Cluster page. */
export interface RecentInfo {
  at: number;
  nodes: InfoSections[];
  readings: NodeReading[];
}

/** Where a node is: as configured, or for a Sentinel set the master Sentinel pointed the client to. */
export function nodeAddress(node: RedisNode): string {
  const stream = (node as unknown as { stream?: { remoteAddress?: string; remotePort?: number } }).stream;
  if (node.options.sentinels?.length && stream?.remoteAddress) {
    return `${stream.remoteAddress}:${stream.remotePort}`;
  }
  return `${node.options.host ?? "127.0.0.1"}:${node.options.port ?? 6379}`;
}

export class InfoReader {
  private sections = INFO_SECTIONS;

  constructor(private readonly connectionId: string) {}

  /**
   * INFO from every data node; one node failing fails the read, since a partial sum would lie.
   * Where console state is on the one node, INFO's pipeline publishes the sample's `mark` too.
   */
  read(mark: SampleMark | null = null): Promise<NodeReading[]> {
    return withClient(this.connectionId, async (client) => {
      const nodes = dataNodes(client);
      if (nodes.length === 0) throw new Error("No data node is known yet.");
      const carries = nodes.length === 1 && nodes[0] === client && holdsConsoleState(this.connectionId);
      return Promise.all(
        nodes.map(async (node) => {
          const info = await this.readNode(node, carries ? mark : null);
          // After INFO's reply: the replies of the console's reads sent before it came first.
          return { address: nodeAddress(node), info, own: ownTrafficOf(node) };
        }),
      );
    });
  }

  private async readNode(node: RedisNode, mark: SampleMark | null): Promise<InfoSections> {
    try {
      return parseInfo(await info(node, this.sections, mark));
    } catch (error) {
      // Redis before 7.0 takes one section per INFO; "all" includes every section read here.
      if (this.sections.length === 1 || !(error instanceof Error) || !error.message.startsWith("ERR")) {
        throw error;
      }
      this.sections = ["all"];
      return parseInfo(await info(node, this.sections, mark));
    }
  }
}

/** INFO, and the mark in the same pipeline: Redis runs the two with no other client's command between. */
async function info(node: RedisNode, sections: string[], mark: SampleMark | null): Promise<string> {
  if (!mark || mark.published) return node.info(...sections);
  const [read, published] =
    (await node
      .pipeline()
      .info(...sections)
      .publish(mark.channel, mark.message)
      .exec()) ?? [];
  if (published && !published[0]) mark.published = true;
  if (!read) throw new Error("INFO got no reply.");
  if (read[0]) throw read[0];
  return read[1] as string;
}
