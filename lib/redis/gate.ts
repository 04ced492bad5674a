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
export async function withClient<T>(
  connectionId: string,
  run: (client: RedisClient, connection: ConnectionConfig) => Promise<T>,
): Promise<T> {
  const connection = findConnection(connectionId);
  try {
    // A ready client, the usual case, without waiting on readyClient's promise.
    const client = getClient(connection.id);
    return await run(client.status === "ready" ? client : await readyClient(connection.id), connection);
  } catch (error) {
    throw toAppError(error, connection.name);
  }
}

/** Runs `run` with the client holding console state (lib/console-state.ts). */
export async function withState<T>(run: (client: RedisClient) => Promise<T>): Promise<T> {
  try {
    // Ready, the usual case: no promises of stateClient's to wait on (an audited change writes twice).
    return await run(readyStateClient() ?? (await stateClient()));
  } catch (error) {
    throw toAppError(error, "console state");
  }
}
