import "server-only";
import { Cluster } from "ioredis";
import { parseInfo, summarizeInfo, type ServerMode, type ServerOverview } from "@/lib/redis/info";
import { toAppError } from "@/lib/redis/errors";
import { dataNodes, findConnection, readyClient } from "@/lib/redis/registry";

export interface OverviewSnapshot extends ServerOverview {
  connection: { id: string; name: string; address: string };
  sampledAt: number;
}

/** The Overview page's figures: INFO from every data node, summed (DESIGN.md: Scale). */
export async function getOverview(connectionId: string): Promise<OverviewSnapshot> {
  const config = findConnection(connectionId);
  try {
    const client = await readyClient(connectionId);
    const mode: ServerMode =
      client instanceof Cluster ? "cluster" : config.spec.type === "sentinel" ? "sentinel" : "standalone";
    const texts = await Promise.all(dataNodes(client).map((node) => node.info()));
    if (texts.length === 0) throw toAppError(new Error("Connection is closed."), config.name);
    return {
      ...summarizeInfo(texts.map(parseInfo), mode),
      connection: { id: config.id, name: config.name, address: config.address },
      sampledAt: Date.now(),
    };
  } catch (error) {
    throw toAppError(error, config.name);
  }
}
