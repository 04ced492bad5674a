import type { NodeReading } from "@/lib/metrics/info-reader";
import { Ring } from "@/lib/metrics/ring";
import { parseKeyspace, type InfoSections } from "@/lib/redis/info";

// The sampler's INFO kept per data node as well as summed (lib/metrics/sample.ts sums it for the
// charts): the Cluster page shows each master apart, from the same one INFO per node per second.
// In memory only, for the last hour; a gap mark where INFO did not answer.

export interface NodeSample {
  at: number;
  // Counters.
  hits: number;
  misses: number;
  evicted: number;
  commands: number;
  netIn: number;
  netOut: number;
  /** The console's own commands and reads sent to this node (lib/redis/own-reads.ts ownTrafficOf). */
  ownCommands: number;
  ownHits: number;
  ownMisses: number;
  // Gauges.
  usedMemory: number;
  maxMemory: number;
  clients: number;
  keys: number;
  uptime: number;
}

export interface NodeGap {
  at: number;
  gap: true;
}

export type NodePoint = NodeSample | NodeGap;

/** How long a node's points are kept. */
export const NODE_SERIES_SPAN_MS = 60 * 60_000;

function num(section: Record<string, string> | undefined, key: string): number {
  const value = Number(section?.[key]);
  return Number.isFinite(value) ? value : 0;
}

export function nodeSampleOf(info: InfoSections, own: NodeReading["own"], at: number): NodeSample {
  return {
    at,
    hits: num(info.stats, "keyspace_hits"),
    misses: num(info.stats, "keyspace_misses"),
    evicted: num(info.stats, "evicted_keys"),
    commands: num(info.stats, "total_commands_processed"),
    netIn: num(info.stats, "total_net_input_bytes"),
    netOut: num(info.stats, "total_net_output_bytes"),
    ownCommands: own.commands,
    ownHits: own.hits,
    ownMisses: own.misses,
    usedMemory: num(info.memory, "used_memory"),
    maxMemory: num(info.memory, "maxmemory"),
    clients: num(info.clients, "connected_clients"),
    keys: parseKeyspace(info.keyspace).reduce((sum, db) => sum + db.keys, 0),
    uptime: num(info.server, "uptime_in_seconds"),
  };
}

export class NodeSeries {
  private readonly rings = new Map<string, Ring<NodePoint>>();
  private readonly capacity: number;

  constructor(intervalMs: number) {
    this.capacity = Math.ceil(NODE_SERIES_SPAN_MS / intervalMs) + 1;
  }

  append(readings: NodeReading[], at: number): void {
    const seen = new Set<string>();
    for (const reading of readings) {
      seen.add(reading.address);
      let ring = this.rings.get(reading.address);
      if (!ring) this.rings.set(reading.address, (ring = new Ring(this.capacity)));
      ring.push(nodeSampleOf(reading.info, reading.own, at));
    }
    // A node that left (a failover, a resharding): its line breaks; forgotten once an hour old.
    for (const [address, ring] of this.rings) {
      if (seen.has(address)) continue;
      const last = ring.last();
      if (!last || at - last.at > NODE_SERIES_SPAN_MS) this.rings.delete(address);
      else if (!("gap" in last)) ring.push({ at, gap: true });
    }
  }

  /** INFO did not answer: every node's line breaks here. */
  markGap(at: number): void {
    for (const ring of this.rings.values()) {
      const last = ring.last();
      if (last && !("gap" in last)) ring.push({ at, gap: true });
    }
  }

  /** A node's points from `from` on, oldest first (with the one before, so the first step counts). */
  points(address: string, from: number): NodePoint[] {
    const all = this.rings.get(address)?.toArray() ?? [];
    const first = all.findIndex((point) => point.at >= from);
    return first < 0 ? [] : all.slice(Math.max(0, first - 1));
  }
}
