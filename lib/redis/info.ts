// INFO text → numbers. Pure, so it is unit-tested against real INFO output.

export type InfoSections = Record<string, Record<string, string>>;

/** Parses `INFO` output into sections keyed by lower-case section name. */
export function parseInfo(text: string): InfoSections {
  const sections: InfoSections = {};
  let current: Record<string, string> = {};
  sections.default = current;
  for (const rawLine of text.split("\n")) {
    const line = rawLine.trim();
    if (!line) continue;
    if (line.startsWith("#")) {
      current = {};
      sections[line.slice(1).trim().toLowerCase()] = current;
      continue;
    }
    const colon = line.indexOf(":");
    if (colon > 0) current[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return sections;
}

/** `keys=12,expires=3,avg_ttl=0` → { keys: 12, expires: 3, avg_ttl: 0 } */
export function parseKeyValueList(value: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const pair of value.split(",")) {
    const [k, v] = pair.split("=");
    if (k && v !== undefined) out[k] = Number(v);
  }
  return out;
}

export interface KeyspaceDb {
  db: number;
  keys: number;
  expires: number;
}

export function parseKeyspace(section: Record<string, string> | undefined): KeyspaceDb[] {
  if (!section) return [];
  return Object.entries(section)
    .filter(([name]) => /^db\d+$/.test(name))
    .map(([name, value]) => {
      const fields = parseKeyValueList(value);
      return { db: Number(name.slice(2)), keys: fields.keys ?? 0, expires: fields.expires ?? 0 };
    })
    .sort((a, b) => a.db - b.db);
}

export type ServerMode = "standalone" | "cluster" | "sentinel";

export interface ServerOverview {
  version: string;
  mode: ServerMode;
  nodes: number;
  uptimeSeconds: number;
  usedMemoryBytes: number;
  maxMemoryBytes: number;
  maxMemoryPolicy: string;
  connectedClients: number;
  blockedClients: number;
  opsPerSecond: number;
  keyspaceHits: number;
  keyspaceMisses: number;
  /** Lifetime hits / (hits + misses); null when the server has served no reads. */
  hitRatio: number | null;
  keyspace: KeyspaceDb[];
  role: string;
}

function num(section: Record<string, string> | undefined, key: string): number {
  const value = Number(section?.[key]);
  return Number.isFinite(value) ? value : 0;
}

/**
 * One summary for one or many nodes: counters and memory are summed over the nodes,
 * uptime is the shortest (the youngest node), version the lowest seen.
 */
export function summarizeInfo(nodes: InfoSections[], mode: ServerMode): ServerOverview {
  if (nodes.length === 0) throw new Error("summarizeInfo needs at least one node");
  const keyspace = new Map<number, KeyspaceDb>();
  let hits = 0;
  let misses = 0;
  const overview: ServerOverview = {
    version: "",
    mode,
    nodes: nodes.length,
    uptimeSeconds: Number.POSITIVE_INFINITY,
    usedMemoryBytes: 0,
    maxMemoryBytes: 0,
    maxMemoryPolicy: "",
    connectedClients: 0,
    blockedClients: 0,
    opsPerSecond: 0,
    keyspaceHits: 0,
    keyspaceMisses: 0,
    hitRatio: null,
    keyspace: [],
    role: "",
  };
  for (const info of nodes) {
    const version = info.server?.redis_version ?? "";
    if (!overview.version || compareVersions(version, overview.version) < 0) overview.version = version;
    overview.uptimeSeconds = Math.min(overview.uptimeSeconds, num(info.server, "uptime_in_seconds"));
    overview.usedMemoryBytes += num(info.memory, "used_memory");
    overview.maxMemoryBytes += num(info.memory, "maxmemory");
    overview.maxMemoryPolicy ||= info.memory?.maxmemory_policy ?? "";
    overview.connectedClients += num(info.clients, "connected_clients");
    overview.blockedClients += num(info.clients, "blocked_clients");
    overview.opsPerSecond += num(info.stats, "instantaneous_ops_per_sec");
    hits += num(info.stats, "keyspace_hits");
    misses += num(info.stats, "keyspace_misses");
    overview.role ||= info.replication?.role ?? "";
    for (const db of parseKeyspace(info.keyspace)) {
      const seen = keyspace.get(db.db) ?? { db: db.db, keys: 0, expires: 0 };
      seen.keys += db.keys;
      seen.expires += db.expires;
      keyspace.set(db.db, seen);
    }
  }
  overview.keyspaceHits = hits;
  overview.keyspaceMisses = misses;
  overview.hitRatio = hits + misses > 0 ? hits / (hits + misses) : null;
  overview.keyspace = [...keyspace.values()].sort((a, b) => a.db - b.db);
  return overview;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}
