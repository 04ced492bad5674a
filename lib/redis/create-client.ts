import "server-only";
import Redis, { Cluster, type RedisOptions } from "ioredis";
import type { RedisClient } from "@/lib/redis/client";
import type { ConnectionConfig } from "@/lib/redis/config";
import { TLS_RESET_WITHOUT_CLIENT_CERT } from "@/lib/redis/errors";

// How a connection's settings become an ioredis client: timeouts and reconnect pacing, Sentinel's
// failover handling, TLS as configured (never loosened), and the last reason a client could not
// connect, kept for the error a request gets. Caching clients is lib/redis/registry.ts's work.

const globalErrors = globalThis as unknown as { __consoleLastConnectErrors?: WeakMap<object, Error> };

/** Why each client last failed to connect, while it is not ready. */
function lastErrors(): WeakMap<object, Error> {
  globalErrors.__consoleLastConnectErrors ??= new WeakMap();
  return globalErrors.__consoleLastConnectErrors;
}

/** Why `client` could not connect, until it is ready again. */
export function lastConnectError(client: RedisClient): Error | undefined {
  return lastErrors().get(client);
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

/**
 * Through Sentinel, every reconnect asks the sentinels where the primary is, so there is no point
 * backing off for long: the first attempt after the promotion finds the new primary. The sentinels'
 * +switch-master message ends a connection to a demoted primary at once (failoverDetector), and a
 * write that still reaches one (READONLY) reconnects and is sent again, to the primary the
 * sentinels name — a compare-and-set edit stays safe to resend, since the refused one changed nothing.
 */
const sentinelOptions: RedisOptions = {
  retryStrategy: (attempt) => Math.min(100 * attempt, 500),
  failoverDetector: true,
  reconnectOnError: (error) => (error.message.startsWith("READONLY") ? 2 : false),
};

/** Options that only apply to a cluster connection; a standalone or Sentinel connection ignores them. */
export interface ClusterOnlyOptions {
  /**
   * One extra subscriber connection per master, so SSUBSCRIBE reaches the node that owns the shard
   * channel's slot (ioredis `shardedSubscribers`). A single Redis takes SSUBSCRIBE on its one connection.
   */
  shardedSubscribers?: boolean;
}

export function createClient(
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
        ...sentinelOptions,
        ...overrides,
        sentinels: spec.sentinels,
        name: spec.masterName,
        db: spec.db,
        sentinelPassword: config.sentinelPassword,
      });
      break;
  }
  // Without a listener ioredis prints every failed reconnect; the health check and pages report it,
  // with the reason kept until the client is ready again (a refused TLS certificate, not "closed").
  const withoutClientCert = usesTls(config) && !config.tls?.cert;
  let everReady = false;
  client.on("error", (error: Error) => {
    const reset = (error as { code?: unknown }).code === "ECONNRESET";
    lastErrors().set(
      client,
      withoutClientCert && !everReady && reset
        ? Object.assign(new Error(error.message), { code: TLS_RESET_WITHOUT_CLIENT_CERT })
        : error,
    );
  });
  client.on("ready", () => {
    everReady = true;
    lastErrors().delete(client);
  });
  return client;
}

function usesTls(config: ConnectionConfig): boolean {
  return (
    config.tls !== undefined || (config.spec.type === "standalone" && config.spec.url.startsWith("rediss://"))
  );
}

/** What the pages say about a connection's TLS. */
export function tlsState(config: ConnectionConfig): "none" | "verified" | "unverified" {
  if (!usesTls(config)) return "none";
  return config.tls?.rejectUnauthorized === false ? "unverified" : "verified";
}
