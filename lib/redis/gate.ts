import "server-only";
import type { RedisClient } from "@/lib/redis/client";
import type { ConnectionConfig } from "@/lib/redis/config";
import { toAppError } from "@/lib/redis/errors";
import { findConnection, getClient, readyClient, readyStateClient, stateClient } from "@/lib/redis/registry";

// The one way lib/ reaches Redis: a connection's client, or console state's, once usable, with
// every failure inside `run` leaving as an AppError that names where it happened (DESIGN.md
// contract 4). An AppError thrown by `run` itself passes through unchanged.

/**
 * Runs `run` with the connection's client (and its settings, for names and addresses). An unknown
 * connection is NOT_FOUND; one that is down fails at once with UNAVAILABLE.
 */
export function withClient<T>(
  connectionId: string,
  run: (client: RedisClient, connection: ConnectionConfig) => Promise<T>,
): Promise<T> {
  let name = connectionId;
  const failed = (error: unknown): never => {
    throw toAppError(error, name);
  };
  try {
    const connection = findConnection(connectionId);
    name = connection.name;
    // A ready client, the usual case, without waiting on readyClient's promise. No async function
    // and await here: each layer of promises costs a signed-in request CPU (bench/RESULTS.md).
    const client = getClient(connection.id);
    if (client.status === "ready") return run(client, connection).catch(failed);
    return readyClient(connection.id)
      .then((ready) => run(ready, connection))
      .catch(failed);
  } catch (error) {
    return Promise.reject(toAppError(error, name));
  }
}

/** Runs `run` with the client holding console state (lib/console-state.ts). */
export function withState<T>(run: (client: RedisClient) => Promise<T>): Promise<T> {
  const failed = (error: unknown): never => {
    throw toAppError(error, "console state");
  };
  try {
    // Ready, the usual case: no promises of stateClient's to wait on (an audited change writes twice).
    const ready = readyStateClient();
    if (ready) return run(ready).catch(failed);
    return stateClient().then(run).catch(failed);
  } catch (error) {
    return Promise.reject(toAppError(error, "console state"));
  }
}
