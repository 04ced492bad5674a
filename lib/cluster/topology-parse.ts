// What CLUSTER SHARDS, CLUSTER NODES and INFO replication say about who holds which slots and who
// follows whom, as one shape. Pure, so each reply format is unit-tested on real output.

export const SLOT_COUNT = 16_384;

/** Flags that matter for a failover (CLUSTER NODES spells `pfail` as `fail?`). */
export const FAILOVER_FLAGS = ["fail", "pfail", "nofailover", "handshake", "noaddr"] as const;

export interface TopologyNode {
  /** The cluster node id; the address for a server outside a cluster. */
  id: string;
  /** host:port. */
  address: string;
  role: "master" | "replica";
  /** online, failed or loading (CLUSTER SHARDS); replication state for a replica outside a cluster. */
  health: string;
  /** Whether the node's cluster bus link is up, as the node asked sees it; null outside a cluster. */
  link: "connected" | "disconnected" | null;
  /** The failover-relevant flags it carries: `fail`, `pfail` (`fail?`), `nofailover`… */
  flags: string[];
  replicationOffset: number | null;
  /** A replica's replication offset behind its master's, in bytes; null for a master or unknown. */
  lagBytes: number | null;
  /** Seconds since the replica last acknowledged its master (INFO replication); null if unknown. */
  lagSeconds: number | null;
}

export interface ShardTopology {
  id: string;
  master: TopologyNode;
  replicas: TopologyNode[];
  /** Inclusive slot ranges; null outside a cluster, where one server holds every key. */
  slots: [number, number][] | null;
  slotCount: number | null;
}

export type TopologySource = "cluster-shards" | "cluster-nodes" | "info";

type Reply = unknown;

function text(value: Reply): string {
  return Buffer.isBuffer(value) ? value.toString() : String(value ?? "");
}

/** RESP2 answers maps as [name, value, name, value…]. */
function pairs(list: Reply): Map<string, Reply> {
  const map = new Map<string, Reply>();
  if (!Array.isArray(list)) return map;
  for (let i = 0; i + 1 < list.length; i += 2) map.set(text(list[i]), list[i + 1]);
  return map;
}

function countSlots(slots: [number, number][]): number {
  return slots.reduce((sum, [start, end]) => sum + end - start + 1, 0);
}

function numberOrNull(value: Reply): number | null {
  const parsed = Number(text(value));
  return value === undefined || !Number.isFinite(parsed) ? null : parsed;
}

function emptyNode(id: string, address: string, role: TopologyNode["role"]): TopologyNode {
  return {
    id,
    address,
    role,
    health: "online",
    link: null,
    flags: [],
    replicationOffset: null,
    lagBytes: null,
    lagSeconds: null,
  };
}

function withOffsetLag(shard: ShardTopology): ShardTopology {
  const masterOffset = shard.master.replicationOffset;
  for (const replica of shard.replicas) {
    if (masterOffset !== null && replica.replicationOffset !== null) {
      replica.lagBytes = Math.max(0, masterOffset - replica.replicationOffset);
    }
  }
  return shard;
}

/** CLUSTER SHARDS (Redis 7+). */
export function parseClusterShards(reply: Reply): ShardTopology[] {
  if (!Array.isArray(reply)) return [];
  const shards: ShardTopology[] = [];
  for (const entry of reply) {
    const fields = pairs(entry);
    const flat = (fields.get("slots") as Reply[] | undefined) ?? [];
    const slots: [number, number][] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) slots.push([Number(flat[i]), Number(flat[i + 1])]);
    const nodes = ((fields.get("nodes") as Reply[] | undefined) ?? []).map((raw) => {
      const node = pairs(raw);
      const host = text(node.get("ip") ?? node.get("endpoint"));
      const port = text(node.get("port") ?? node.get("tls-port"));
      const parsed = emptyNode(
        text(node.get("id")),
        `${host}:${port}`,
        text(node.get("role")) === "master" ? "master" : "replica",
      );
      parsed.health = text(node.get("health")) || "online";
      parsed.replicationOffset = numberOrNull(node.get("replication-offset"));
      return parsed;
    });
    const master = nodes.find((node) => node.role === "master");
    if (!master) continue;
    shards.push(
      withOffsetLag({
        id: master.id,
        master,
        replicas: nodes.filter((node) => node !== master),
        slots,
        slotCount: countSlots(slots),
      }),
    );
  }
  return shards;
}

interface NodesLine {
  id: string;
  address: string;
  flags: string[];
  masterId: string;
  link: "connected" | "disconnected";
  slots: [number, number][];
}

/** One line per node: `<id> <ip:port@bus[,host]> <flags> <master> <ping> <pong> <epoch> <link> <slot>…`. */
export function parseClusterNodesLines(reply: string): NodesLine[] {
  const lines: NodesLine[] = [];
  for (const line of reply.split("\n")) {
    const parts = line.trim().split(" ");
    if (parts.length < 8) continue;
    const [id, address, flags, masterId, , , , link, ...slotParts] = parts as [string, ...string[]];
    const slots: [number, number][] = [];
    for (const part of slotParts) {
      if (part.startsWith("[")) continue; // a slot being imported or migrated
      const [start, end] = part.split("-").map(Number);
      if (start !== undefined && Number.isFinite(start)) slots.push([start, end ?? start]);
    }
    lines.push({
      id,
      address: (address ?? "").split("@")[0] ?? "",
      flags: (flags ?? "").split(","),
      masterId: masterId ?? "-",
      link: link === "connected" ? "connected" : "disconnected",
      slots,
    });
  }
  return lines;
}

function failoverFlags(flags: string[]): string[] {
  return flags
    .map((flag) => (flag === "fail?" ? "pfail" : flag))
    .filter((flag) => (FAILOVER_FLAGS as readonly string[]).includes(flag));
}

/** CLUSTER NODES alone: servers before Redis 7 (no offsets there). */
export function shardsFromNodes(lines: NodesLine[]): ShardTopology[] {
  const masters = lines.filter((line) => line.flags.includes("master"));
  return masters.map((line) => ({
    id: line.id,
    master: { ...emptyNode(line.id, line.address, "master"), ...linkOf(line) },
    replicas: lines
      .filter((replica) => replica.masterId === line.id)
      .map((replica) => ({ ...emptyNode(replica.id, replica.address, "replica"), ...linkOf(replica) })),
    slots: line.slots,
    slotCount: countSlots(line.slots),
  }));
}

function linkOf(line: NodesLine): Pick<TopologyNode, "link" | "flags" | "health"> {
  const flags = failoverFlags(line.flags);
  return { link: line.link, flags, health: flags.includes("fail") ? "failed" : "online" };
}

/** CLUSTER SHARDS with the link state and flags only CLUSTER NODES has. */
export function addNodeFlags(shards: ShardTopology[], lines: NodesLine[]): ShardTopology[] {
  const byId = new Map(lines.map((line) => [line.id, line]));
  for (const shard of shards) {
    for (const node of [shard.master, ...shard.replicas]) {
      const line = byId.get(node.id);
      if (line) Object.assign(node, { link: line.link, flags: failoverFlags(line.flags) });
    }
  }
  return shards;
}

export interface ReplicaInfo {
  address: string;
  state: string;
  offset: number;
  lag: number;
}

/** A master's INFO replication: its offset and each replica's (`slave0:ip=…,port=…,state=…,offset=…,lag=…`). */
export function parseReplication(section: Record<string, string> | undefined): {
  role: string;
  offset: number | null;
  replicas: ReplicaInfo[];
} {
  const replicas: ReplicaInfo[] = [];
  for (const [name, value] of Object.entries(section ?? {})) {
    if (!/^slave\d+$/.test(name)) continue;
    const fields = new Map(value.split(",").map((pair) => pair.split("=") as [string, string]));
    replicas.push({
      address: `${fields.get("ip") ?? ""}:${fields.get("port") ?? ""}`,
      state: fields.get("state") ?? "",
      offset: Number(fields.get("offset") ?? 0),
      lag: Number(fields.get("lag") ?? 0),
    });
  }
  return { role: section?.role ?? "", offset: numberOrNull(section?.master_repl_offset), replicas };
}

/**
 * A replica's lag from its master's own INFO, which hears each replica's acknowledged offset every
 * second: fresher than the gossip CLUSTER SHARDS reports, and the only source outside a cluster.
 */
export function applyReplicationInfo(
  shard: ShardTopology,
  section: Record<string, string> | undefined,
): void {
  const replication = parseReplication(section);
  if (replication.offset === null) return;
  shard.master.replicationOffset = replication.offset;
  for (const replica of replication.replicas) {
    let node = shard.replicas.find((known) => known.address === replica.address);
    if (!node && shard.slots === null) {
      node = emptyNode(replica.address, replica.address, "replica");
      shard.replicas.push(node);
    }
    if (!node) continue;
    node.replicationOffset = replica.offset;
    node.lagBytes = Math.max(0, replication.offset - replica.offset);
    node.lagSeconds = replica.lag;
    if (shard.slots === null) node.health = replica.state;
  }
}

/** A server outside a cluster (standalone, or a Sentinel set's master) as one shard. */
export function singleShard(address: string, replication: Record<string, string> | undefined): ShardTopology {
  const role = replication?.role === "slave" ? "replica" : "master";
  const shard: ShardTopology = {
    id: address,
    master: emptyNode(address, address, role),
    replicas: [],
    slots: null,
    slotCount: null,
  };
  applyReplicationInfo(shard, replication);
  return shard;
}
