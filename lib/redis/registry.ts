import "server-only";
import Redis, { Cluster, type RedisOptions } from "ioredis";
import { AppError } from "@/lib/errors";
import { ConfigError, loadConnections, type ConnectionConfig } from "@/lib/redis/config";
import { toAppError } from "@/lib/redis/errors";
import { countOwnReads, ownerOf } from "@/lib/redis/own-reads";

// One command client per configured connection, created on first use and kept on globalThis so
// dev reloads and the several bundles of one Next process share them instead of leaking sockets.

export type RedisClient = Redis | Cluster;

export interface PublicConnection {
  id: string;
  name: string;
  type: ConnectionConfig["spec"]["type"];
  address: string;
}

interface Registry {
  configs: ConnectionConfig[] | null;
  clients: Map<string, RedisClient>;
}

const globalRegistry = globalThis as unknown as { __consoleRedisRegistry?: Registry };

function registry(): Registry {
  globalRegistry.__consoleRedisRegistry ??= { configs: null, clients: new Map() };
  return globalRegistry.__consoleRedisRegistry;
}

export const COMMAND_TIMEOUT_MS = Number(process.env.CONSOLE_COMMAND_TIMEOUT_MS ?? 5_000);

/**
 * Bounded behaviour when Redis is away: each command fails after one reconnect attempt instead of
 * queueing forever, while the client itself keeps reconnecting in the background with backoff.
 */
function baseOptions(config: ConnectionConfig): RedisOptions {
  return {
    // ioredis 6 defaults to RESP3; the console is written against RESP2 reply shapes.
    protocol: 2,
    connectionName: "redis-ml-console",
    username: config.spec.username,
    password: config.password,
    tls: config.tls,
    connectTimeout: 3_000,
    commandTimeout: COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(100 * 2 ** attempt, 5_000),
    lazyConnect: false,
  };
}

/** Options that only apply to a cluster connection; a standalone or Sentinel connection ignores them. */
export interface ClusterOnlyOptions {
  /**
   * One extra subscriber connection per master, so SSUBSCRIBE reaches the node that owns the shard
   * channel's slot (ioredis `shardedSubscribers`). A single Redis takes SSUBSCRIBE on its one connection.
   */
  shardedSubscribers?: boolean;
}

function createClient(
  config: ConnectionConfig,
  overrides: RedisOptions = {},
  clusterOnly: ClusterOnlyOptions = {},
): RedisClient {
  const spec = config.spec;
  let client: RedisClient;
  switch (spec.type) {
    case "standalone": {
      const options = { ...baseOptions(config), ...overrides };
      // Credentials in the URL win over the config's username when both are given.
      client = new Redis(spec.url, { ...options, username: options.username ?? undefined });
      break;
    }
    case "cluster":
      client = new Cluster(spec.nodes, {
        redisOptions: {
          ...baseOptions(config),
          ...overrides,
          // In a cluster's redisOptions this only decides when the per-master shard subscribers
          // connect (the node connections are always lazy): each when its first channel comes.
          ...(clusterOnly.shardedSubscribers ? { lazyConnect: true } : {}),
        },
        clusterRetryStrategy: (attempt) => Math.min(100 * 2 ** attempt, 5_000),
        scaleReads: "master",
        shardedSubscribers: clusterOnly.shardedSubscribers ?? false,
      });
      break;
    case "sentinel":
      client = new Redis({
        ...baseOptions(config),
        ...overrides,
        sentinels: spec.sentinels,
        name: spec.masterName,
        db: spec.db,
        sentinelPassword: config.sentinelPassword,
      });
      break;
  }
  // Without a listener ioredis prints every failed reconnect; the health check and pages report it.
  client.on("error", () => {});
  return client;
}

export function connectionConfigs(): ConnectionConfig[] {
  const state = registry();
  if (!state.configs) {
    try {
      state.configs = loadConnections();
    } catch (error) {
      if (error instanceof ConfigError) throw new AppError("INTERNAL", error.message);
      throw error;
    }
  }
  return state.configs;
}

export function listConnections(): PublicConnection[] {
  return connectionConfigs().map(({ id, name, spec, address }) => ({ id, name, type: spec.type, address }));
}

export function findConnection(id: string): ConnectionConfig {
  const config = connectionConfigs().find((c) => c.id === id);
  if (!config) throw new AppError("NOT_FOUND", `There is no connection "${id}". Pick one from the switcher.`);
  return config;
}

export function getClient(connectionId: string): RedisClient {
  const config = findConnection(connectionId);
  const state = registry();
  let client = state.clients.get(config.id);
  if (!client) {
    client = createClient(config);
    countOwnReads(config.id, client);
    state.clients.set(config.id, client);
  }
  return client;
}

const READY_WAIT_MS = 3_000;

/**
 * The connection's client once it is usable. While ioredis is between reconnect attempts the
 * request fails at once with UNAVAILABLE instead of queueing behind the backoff, so a page can say
 * "down, retrying" within a moment; the client keeps reconnecting on its own.
 */
export async function readyClient(connectionId: string): Promise<RedisClient> {
  return whenReady(getClient(connectionId), findConnection(connectionId).name);
}

export async function whenReady<C extends RedisClient>(client: C, name: string): Promise<C> {
  if (client.status === "ready") return client;
  const down = () => toAppError(new Error("Connection is closed."), name);
  if (client.status === "reconnecting" || client.status === "end" || client.status === "close") throw down();
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => finish(down()), READY_WAIT_MS);
    const onReady = () => finish();
    const onFailure = () => finish(down());
    function finish(error?: Error) {
      clearTimeout(timer);
      client.off("ready", onReady);
      client.off("reconnecting", onFailure);
      client.off("end", onFailure);
      if (error) reject(error);
      else resolve();
    }
    client.once("ready", onReady);
    client.once("reconnecting", onFailure);
    client.once("end", onFailure);
  });
  return client;
}

/**
 * A connection of its own, not shared and not cached: for pub/sub subscribers and blocking reads
 * (XREAD BLOCK), which would stall every other command on the shared client. The caller closes it.
 */
export function createDedicatedClient(
  connectionId: string,
  purpose: string,
  clusterOnly: ClusterOnlyOptions = {},
): RedisClient {
  return createClient(
    findConnection(connectionId),
    {
      connectionName: `redis-ml-console:${purpose}`,
      // Blocking commands outlive the usual command timeout; they carry their own BLOCK timeout.
      commandTimeout: undefined,
      maxRetriesPerRequest: null,
    },
    clusterOnly,
  );
}

/** The nodes that hold data: every master of a cluster, or the one server. */
export function dataNodes(client: RedisClient): Redis[] {
  if (!(client instanceof Cluster)) return [client];
  const nodes = client.nodes("master");
  // Commands sent to a node directly are the console's own reads too (lib/redis/own-reads.ts).
  const owner = ownerOf(client);
  if (owner !== undefined) for (const node of nodes) countOwnReads(owner, node);
  return nodes;
}

/** For tests and shutdown: closes every client and forgets the config. */
export async function closeAllClients(): Promise<void> {
  const state = registry();
  const clients = [...state.clients.values()];
  state.clients.clear();
  state.configs = null;
  await Promise.allSettled(clients.map((client) => client.quit()));
}
