import "server-only";
import type { RedisOptions } from "ioredis";
import { AppError } from "@/lib/errors";
import { isCluster, type RedisClient, type RedisNode } from "@/lib/redis/client";
import { ConfigError, loadConnections, type ConnectionConfig } from "@/lib/redis/config";
import { createClient, lastConnectError, tlsState, type ClusterOnlyOptions } from "@/lib/redis/create-client";
import { toAppError } from "@/lib/redis/errors";
import { countOwnReads, ownerOf } from "@/lib/redis/own-reads";

// One command client per configured connection, and one for console state when it lives apart
// (CONSOLE_STATE_URL), created on first use and kept on globalThis so dev reloads and the several
// bundles of one Next process share them instead of leaking sockets. lib/ reaches them through
// lib/redis/gate.ts; subscribers and blocking reads get dedicated clients made here too.

export interface PublicConnection {
  id: string;
  name: string;
  type: ConnectionConfig["spec"]["type"];
  address: string;
  /** "unverified" only when the config says `rejectUnauthorized: false`; the page then says so. */
  tls: "none" | "verified" | "unverified";
}

interface Registry {
  configs: ConnectionConfig[] | null;
  clients: Map<string, RedisClient>;
  /** Console state's own client, when CONSOLE_STATE_URL puts it in a Redis of its own. */
  state: RedisClient | null;
}

const globalRegistry = globalThis as unknown as { __consoleRedisRegistry?: Registry };

function registry(): Registry {
  globalRegistry.__consoleRedisRegistry ??= { configs: null, clients: new Map(), state: null };
  return globalRegistry.__consoleRedisRegistry;
}

export function connectionConfigs(): ConnectionConfig[] {
  const state = registry();
  if (!state.configs) {
    try {
      state.configs = loadConnections();
    } catch (error) {
      if (error instanceof ConfigError)
        throw AppError.of("INTERNAL", "connectionsConfig", { reason: error.message });
      throw error;
    }
  }
  return state.configs;
}

export function listConnections(): PublicConnection[] {
  return connectionConfigs().map((config) => ({
    id: config.id,
    name: config.name,
    type: config.spec.type,
    address: config.address,
    tls: tlsState(config),
  }));
}

export function findConnection(id: string): ConnectionConfig {
  const config = connectionConfigs().find((c) => c.id === id);
  if (!config) throw AppError.of("NOT_FOUND", "noConnection", { id });
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
  const down = () => toAppError(lastConnectError(client) ?? new Error("Connection is closed."), name);
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
  const client = createClient(
    findConnection(connectionId),
    dedicated(`redis-ml-console:${purpose}`),
    clusterOnly,
  );
  // Its commands are the console's own too, from the first: the INFO and CLIENT SETNAME it sends
  // on connecting showed in ops/s and the top commands each time a subscriber connected.
  countOwnReads(connectionId, client);
  return client;
}

function dedicated(connectionName: string): RedisOptions {
  // Blocking commands outlive the usual command timeout; they carry their own BLOCK timeout.
  return { connectionName, commandTimeout: undefined, maxRetriesPerRequest: null };
}

const STATE_NAME = "console state";

/** Console state in a Redis of its own, as a connection of the usual shape (never listed). */
function stateConfig(url: string): ConnectionConfig {
  return {
    spec: { type: "standalone", id: "console-state", url },
    id: "console-state",
    name: STATE_NAME,
    address: "",
  };
}

/**
 * The client holding console state once usable (lib/console-state.ts): the first configured
 * connection's, or with CONSOLE_STATE_URL a client of its own. Fails fast (UNAVAILABLE) while down.
 */
export async function stateClient(): Promise<RedisClient> {
  const url = process.env.CONSOLE_STATE_URL;
  if (!url) return readyClient(connectionConfigs()[0]!.id);
  const state = registry();
  state.state ??= createClient(stateConfig(url), { connectionName: "redis-ml-console-state" });
  return whenReady(state.state, STATE_NAME);
}

/** stateClient's client when it is ready now, without a promise; undefined while it is not (or not made). */
export function readyStateClient(): RedisClient | undefined {
  const client = process.env.CONSOLE_STATE_URL ? registry().state : getClient(connectionConfigs()[0]!.id);
  return client?.status === "ready" ? client : undefined;
}

/** Whether console state lives on this connection's Redis (the first connection, without CONSOLE_STATE_URL). */
export function holdsConsoleState(connectionId: string): boolean {
  return !process.env.CONSOLE_STATE_URL && connectionConfigs()[0]?.id === connectionId;
}

/** A connection of its own to wherever console state lives, e.g. for its pub/sub feed. The caller closes it. */
export function createDedicatedStateClient(purpose: string): RedisClient {
  const url = process.env.CONSOLE_STATE_URL;
  if (!url) return createDedicatedClient(connectionConfigs()[0]!.id, purpose);
  return createClient(stateConfig(url), dedicated(`redis-ml-console-state:${purpose}`));
}

/** The nodes that hold data: every master of a cluster, or the one server. */
export function dataNodes(client: RedisClient): RedisNode[] {
  if (!isCluster(client)) return [client];
  const nodes = client.nodes("master");
  // Commands sent to a node directly are the console's own reads too (lib/redis/own-reads.ts).
  const owner = ownerOf(client);
  if (owner !== undefined) for (const node of nodes) countOwnReads(owner, node);
  return nodes;
}

/** For tests and shutdown: closes every client and forgets the config. */
export async function closeAllClients(): Promise<void> {
  const state = registry();
  const clients = [...state.clients.values(), ...(state.state ? [state.state] : [])];
  state.clients.clear();
  state.state = null;
  state.configs = null;
  await Promise.allSettled(clients.map((client) => client.quit()));
}
