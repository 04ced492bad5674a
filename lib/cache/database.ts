import "server-only";
import { AppError } from "@/lib/errors";
import { isCluster } from "@/lib/redis/client";
import type { ConnectionConfig } from "@/lib/redis/config";
import { withClient } from "@/lib/redis/gate";
import { dataNodes, findConnection, holdsConsoleState } from "@/lib/redis/registry";

// Flushing a whole database (admin only, decided by the action): FLUSHDB ASYNC on every data node
// (each master of a cluster), so Redis frees the memory in the background and keeps answering
// other clients. Never a synchronous FLUSHDB. The action audits it, after the flush, so the entry
// survives even when the console's own state lived in that database.

export interface DatabaseInfo {
  connectionId: string;
  /** What a person types to confirm a flush: `db0 on <connection name>`. */
  label: string;
  keys: number;
  nodes: number;
  cluster: boolean;
  /** The console's own data (audit log, history, metrics) lives here and would go too. */
  holdsConsoleState: boolean;
}

export interface DatabaseFlush {
  label: string;
  keysBefore: number;
  nodes: number;
}

function databaseNumber(config: ConnectionConfig): number {
  const spec = config.spec;
  if (spec.type === "sentinel") return spec.db;
  if (spec.type === "cluster") return 0;
  return Number(new URL(spec.url).pathname.replace("/", "") || "0");
}

export function databaseLabel(connectionId: string): string {
  const config = findConnection(connectionId);
  return `db${databaseNumber(config)} on ${config.name}`;
}

export async function databaseInfo(connectionId: string): Promise<DatabaseInfo> {
  return withClient(connectionId, async (client) => {
    const nodes = dataNodes(client);
    const sizes = await Promise.all(nodes.map((node) => node.dbsize()));
    return {
      connectionId,
      label: databaseLabel(connectionId),
      keys: sizes.reduce((sum, size) => sum + size, 0),
      nodes: nodes.length,
      cluster: isCluster(client),
      holdsConsoleState: holdsConsoleState(connectionId),
    };
  });
}

/** FLUSHDB ASYNC on every data node; `confirm` must be the database's label, typed. */
export async function flushDatabase(connectionId: string, confirm: string): Promise<DatabaseFlush> {
  const label = databaseLabel(connectionId);
  if (confirm !== label) {
    throw AppError.of("INVALID", "confirmDatabaseName", { label });
  }
  return withClient(connectionId, async (client) => {
    const nodes = dataNodes(client);
    const sizes = await Promise.all(nodes.map((node) => node.dbsize()));
    await Promise.all(nodes.map((node) => node.call("FLUSHDB", "ASYNC")));
    return { label, keysBefore: sizes.reduce((sum, size) => sum + size, 0), nodes: nodes.length };
  });
}
