import "server-only";
import { AppError } from "@/lib/errors";
import { isCluster, type RedisClient, type RedisNode } from "@/lib/redis/client";
import type { ConnectionConfig } from "@/lib/redis/config";
import { withClient } from "@/lib/redis/gate";
import { dataNodes } from "@/lib/redis/registry";
import {
  mergeNewestFirst,
  parseSlowLog,
  parseSlowLogConfig,
  type SlowLogConfig,
  type SlowLogEntry,
} from "@/lib/slowlog/parse";
import { SLOWLOG_DEFAULT_LIMIT, SLOWLOG_MAX_LIMIT } from "@/lib/validation/slowlog";

// The Cache page's slow log: SLOWLOG GET, SLOWLOG LEN and CONFIG GET slowlog-* on every data node
// (each master of a cluster keeps its own log), merged newest first. Managed Redis often refuses
// CONFIG; then the thresholds are unknown but the entries are still shown. The page's live feed
// (lib/slowlog/feed.ts) reads this only when a node's newest entry changed (readSlowLogMark).

export interface SlowLogNode extends SlowLogConfig {
  /** host:port of the server (the connection's address for Sentinel). */
  node: string;
  /** SLOWLOG LEN: entries the node keeps now. */
  length: number;
  /** CONFIG GET was refused (ACL, or renamed away by a managed service): the thresholds are null. */
  configRefused: boolean;
}

export interface SlowLogThresholds extends SlowLogConfig {
  /** Nodes are configured differently: the values are the first node's, `nodes` has each. */
  differ: boolean;
}

export interface SlowLogReport {
  /** Newest first, over every node, at most `limit`. */
  entries: SlowLogEntry[];
  thresholds: SlowLogThresholds;
  nodes: SlowLogNode[];
  /** Several masters: entries are tagged with their node. */
  cluster: boolean;
  limit: number;
}

function isReplyError(error: unknown): error is Error {
  return error instanceof Error && error.name === "ReplyError";
}

/** CONFIG GET slowlog-*, or null when the server refuses CONFIG; losing the connection still throws. */
async function readConfig(node: RedisNode): Promise<SlowLogConfig | null> {
  try {
    return parseSlowLogConfig(await node.call("CONFIG", "GET", "slowlog-*"));
  } catch (error) {
    if (isReplyError(error)) return null;
    throw error;
  }
}

async function readSlowLogCommand(node: RedisNode, args: (string | number)[]): Promise<unknown> {
  try {
    return await node.callBuffer("SLOWLOG", ...args);
  } catch (error) {
    if (isReplyError(error) && error.message.startsWith("ERR unknown command")) {
      throw AppError.of("FORBIDDEN", "slowlogUnavailable");
    }
    throw error;
  }
}

async function readNode(node: RedisNode, label: string, limit: number) {
  const [reply, length, config] = await Promise.all([
    readSlowLogCommand(node, ["GET", limit]),
    readSlowLogCommand(node, ["LEN"]),
    readConfig(node),
  ]);
  const summary: SlowLogNode = {
    node: label,
    length: Number(length),
    slowerThanMicros: config?.slowerThanMicros ?? null,
    maxLength: config?.maxLength ?? null,
    configRefused: config === null,
  };
  return { entries: parseSlowLog(reply, label), summary };
}

function summarizeThresholds(nodes: SlowLogNode[]): SlowLogThresholds {
  const known = nodes.filter((node) => !node.configRefused);
  const first = known[0];
  return {
    slowerThanMicros: first?.slowerThanMicros ?? null,
    maxLength: first?.maxLength ?? null,
    differ: known.some(
      (node) => node.slowerThanMicros !== first?.slowerThanMicros || node.maxLength !== first?.maxLength,
    ),
  };
}

/** The connection's data nodes with the label each entry is tagged with, in label order. */
function labelledNodes(client: RedisClient, config: ConnectionConfig): { node: RedisNode; label: string }[] {
  const nodes = [...dataNodes(client)].map((node) => ({
    node,
    // A Sentinel client's options name no server until it asks the sentinels; its address says more.
    label: config.spec.type === "sentinel" ? config.address : `${node.options.host}:${node.options.port}`,
  }));
  return nodes.sort((a, b) => a.label.localeCompare(b.label));
}

/** The latest slow commands of a connection, with the thresholds that decide what is logged. */
export async function readSlowLog(
  connectionId: string,
  options: { limit?: number } = {},
): Promise<SlowLogReport> {
  const limit = clampSlowLogLimit(options.limit ?? SLOWLOG_DEFAULT_LIMIT);
  return withClient(connectionId, async (client, config) => {
    const nodes = labelledNodes(client, config);
    const results = await Promise.all(nodes.map(({ node, label }) => readNode(node, label, limit)));
    const summaries = results.map(({ summary }) => summary);
    return {
      entries: mergeNewestFirst(
        results.map(({ entries }) => entries),
        limit,
      ),
      thresholds: summarizeThresholds(summaries),
      nodes: summaries,
      cluster: isCluster(client),
      limit,
    };
  });
}

export function clampSlowLogLimit(limit: number): number {
  return Math.min(Math.max(Math.trunc(limit), 1), SLOWLOG_MAX_LIMIT);
}

/**
 * What changes when a command is logged: each node's newest entry id (SLOWLOG GET 1, one small
 * reply per node). The live feed reads the whole log again only when this changed.
 */
export async function readSlowLogMark(connectionId: string): Promise<string> {
  return withClient(connectionId, async (client, config) => {
    const nodes = labelledNodes(client, config);
    const newest = await Promise.all(
      nodes.map(async ({ node, label }) => {
        const reply = await readSlowLogCommand(node, ["GET", 1]);
        const first = Array.isArray(reply) ? (reply[0] as unknown) : undefined;
        const id = Array.isArray(first) ? String(first[0]) : "-";
        return `${label}#${id}`;
      }),
    );
    return newest.join(" ");
  });
}
