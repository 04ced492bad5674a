import "server-only";
import { AppError } from "@/lib/errors";
import type { RedisNode } from "@/lib/redis/client";
import type { RedisClient } from "@/lib/redis/client";
import { recordOwnReads } from "@/lib/redis/own-reads";
import { dataNodes } from "@/lib/redis/registry";

// The scan engine: SCAN in bounded steps over every data node (each master of a cluster), with a
// budget per request and a cursor to go on. Never KEYS (DESIGN.md contract 2).

export interface ScanRequest {
  match: Buffer | string;
  /** SCAN … TYPE filter (Redis 6+). */
  type?: string;
  /** Opaque cursor from a previous page; omitted or "" to start. */
  cursor?: string;
  /** Stop once this many keys were found. */
  limit: number;
  /** At most this many SCAN calls for this request. */
  maxCalls?: number;
  /** The COUNT hint of each SCAN call. */
  count?: number;
}

export interface ScanResult {
  keys: Buffer[];
  /** "" when every node has been scanned to its end. */
  cursor: string;
  /** Keys the server looked at, approximately (SCAN calls × COUNT, capped by DBSIZE by the caller). */
  examined: number;
}

/** Nodes in a stable order, so a cursor's node index means the same node on the next request. */
export function orderedNodes(client: RedisClient): RedisNode[] {
  return [...dataNodes(client)].sort((a, b) =>
    `${a.options.host}:${a.options.port}`.localeCompare(`${b.options.host}:${b.options.port}`),
  );
}

export function parseCursor(cursor: string | undefined): { node: number; position: string } {
  if (!cursor) return { node: 0, position: "0" };
  const match = /^(\d+)-(\d+)$/.exec(cursor);
  if (!match) throw AppError.of("INVALID", "scanCursorMalformed");
  return { node: Number(match[1]), position: match[2]! };
}

export async function scanKeys(client: RedisClient, request: ScanRequest): Promise<ScanResult> {
  const nodes = orderedNodes(client);
  const count = request.count ?? 1_000;
  const maxCalls = request.maxCalls ?? 20;
  let { node, position } = parseCursor(request.cursor);
  const keys: Buffer[] = [];
  let calls = 0;
  while (node < nodes.length && calls < maxCalls && keys.length < request.limit) {
    const args: (string | Buffer | number)[] = [position, "MATCH", request.match, "COUNT", count];
    if (request.type) args.push("TYPE", request.type);
    // callBuffer: the pattern may be binary, which the typed scanBuffer overloads do not allow.
    const [next, found] = (await nodes[node]!.callBuffer("SCAN", ...args)) as [Buffer, Buffer[]];
    calls += 1;
    keys.push(...found);
    if (request.type) recordTypeFilterReads(nodes[node]!, request.match, count, next, found.length);
    position = next.toString();
    if (position === "0") {
      node += 1;
      position = "0";
    }
  }
  return { keys, cursor: node < nodes.length ? `${node}-${position}` : "", examined: calls * count };
}

/**
 * SCAN … TYPE looks up every key that matched the pattern to read its type, and Redis counts each
 * as a keyspace hit. How many matched is not in the reply: for "*" it is about COUNT per call but
 * the last, otherwise at least the keys returned. An estimate, on the low side, for the hit rate
 * (lib/redis/own-reads.ts).
 */
export function recordTypeFilterReads(
  node: RedisNode,
  match: string | Buffer,
  count: number,
  next: Buffer,
  found: number,
): void {
  const everything = match.toString() === "*" && next.toString() !== "0";
  recordOwnReads(node, { hits: everything ? Math.max(count, found) : found, misses: 0 });
}

/** Total keys in the selected database over every data node. */
export function databaseSize(client: RedisClient): Promise<number> {
  const nodes = dataNodes(client);
  // One node (anything but a cluster): its DBSIZE as it is, without promises to add one number up.
  if (nodes.length === 1) return nodes[0]!.dbsize();
  return Promise.all(nodes.map((node) => node.dbsize())).then((sizes) =>
    sizes.reduce((sum, size) => sum + size, 0),
  );
}
