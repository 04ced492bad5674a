// The keyspace reads the console itself makes, per connection. Redis counts every client's reads
// in keyspace_hits/misses, so opening the Cache page (a TYPE, PTTL and MEMORY USAGE per sampled
// key) would show up as a burst of hits in the very hit-rate chart above it. The metrics sampler
// records these counters with each sample and leaves them out of the hit rate
// (lib/metrics/own-counters.ts stepReads).
//
// Counted from each command's reply, for the commands the console reads keys with; one lookup per
// command (EXISTS: one per key). A command not listed here still counts in Redis' figures.
//
// Every command the console sends is counted too, by the name INFO commandstats gives it
// (`type`, `memory|usage`), so ops/s and the per-command series leave the console's own work out
// (DESIGN.md contract 11): opening the Cache page sends thousands of TYPE and PTTL in a second.

import { isCluster, type RedisClient } from "@/lib/redis/client";

export interface OwnReads {
  hits: number;
  misses: number;
}

// On globalThis, like the client registry: a client hooked by one copy of this module (Next may
// load it once per route bundle) must be known to every copy.
const globalReads = globalThis as unknown as {
  __consoleOwnReads?: Map<string, OwnReads>;
  __consoleOwnCommands?: Map<string, OwnCommands>;
  __consoleOwnReadOwners?: WeakMap<object, string>;
  __consoleOwnPerClient?: WeakMap<object, OwnClientTraffic>;
};

/** Commands and keyspace reads one hooked client sent, each attempt where it ran (a node of a cluster). */
export interface OwnClientTraffic {
  commands: number;
  hits: number;
  misses: number;
}

function perClient(): WeakMap<object, OwnClientTraffic> {
  globalReads.__consoleOwnPerClient ??= new WeakMap();
  return globalReads.__consoleOwnPerClient;
}

/**
 * This process's traffic through one client since it was hooked (a copy): for a cluster's node
 * client, what the console sent to that master, so per-shard figures leave it out (lib/cluster).
 */
export function ownTrafficOf(client: object): OwnClientTraffic {
  const counted = perClient().get(client);
  return { commands: counted?.commands ?? 0, hits: counted?.hits ?? 0, misses: counted?.misses ?? 0 };
}

function trafficOf(client: object): OwnClientTraffic {
  let traffic = perClient().get(client);
  if (!traffic) perClient().set(client, (traffic = { commands: 0, hits: 0, misses: 0 }));
  return traffic;
}

function tally(traffic: OwnClientTraffic, verdict: Verdict): void {
  traffic.commands += 1;
  if (verdict) {
    traffic.hits += verdict.hits;
    traffic.misses += verdict.misses;
  }
}

export interface OwnCommands {
  /** Every command sent, as total_commands_processed counts them. */
  total: number;
  /** Per commandstats name. */
  calls: Record<string, number>;
}

function commandCounters(): Map<string, OwnCommands> {
  globalReads.__consoleOwnCommands ??= new Map();
  return globalReads.__consoleOwnCommands;
}

/** This process's commands on a connection since it started (a copy). */
export function ownCommands(connectionId: string): OwnCommands {
  const counted = commandCounters().get(connectionId);
  return { total: counted?.total ?? 0, calls: { ...counted?.calls } };
}

/** Commands Redis 7 counts per subcommand in commandstats (`cmdstat_memory|usage`). */
const CONTAINERS = new Set([
  "acl",
  "client",
  "cluster",
  "command",
  "config",
  "function",
  "latency",
  "memory",
  "module",
  "object",
  "pubsub",
  "script",
  "slowlog",
  "xgroup",
  "xinfo",
]);

/** The name INFO commandstats counts a command under: `get`, `memory|usage`, `client|setname`. */
export function commandStatName(name: string, args: readonly unknown[]): string {
  const lower = name.toLowerCase();
  if (!CONTAINERS.has(lower) || args.length === 0) return lower;
  return `${lower}|${text(args[0]).toLowerCase()}`;
}

function countCommand(connectionId: string, name: string): void {
  let counted = commandCounters().get(connectionId);
  if (!counted) commandCounters().set(connectionId, (counted = { total: 0, calls: {} }));
  counted.total += 1;
  counted.calls[name] = (counted.calls[name] ?? 0) + 1;
}

function counters(): Map<string, OwnReads> {
  globalReads.__consoleOwnReads ??= new Map();
  return globalReads.__consoleOwnReads;
}

/** Which connection a hooked client (or a cluster's node client) reads for. */
function owners(): WeakMap<object, string> {
  globalReads.__consoleOwnReadOwners ??= new WeakMap();
  return globalReads.__consoleOwnReadOwners;
}

/** The connections this process has sent commands to. */
export function ownTrafficConnections(): string[] {
  return [...new Set([...counters().keys(), ...commandCounters().keys()])];
}

/** This process's reads on a connection since it started (a copy). */
export function ownReads(connectionId: string): OwnReads {
  const reads = counters().get(connectionId);
  return { hits: reads?.hits ?? 0, misses: reads?.misses ?? 0 };
}

type Verdict = { hits: number; misses: number } | null;

const one = (hit: boolean): Verdict => (hit ? { hits: 1, misses: 0 } : { hits: 0, misses: 1 });

function isEmpty(reply: unknown): boolean {
  return reply === null || (Array.isArray(reply) && reply.length === 0);
}

function text(value: unknown): string {
  return Buffer.isBuffer(value) ? value.toString("latin1") : String(value);
}

/** What one reply says about the key it read; null for commands that read no key (or are not known). */
export function classifyRead(name: string, args: readonly unknown[], reply: unknown): Verdict {
  switch (name) {
    case "type":
      return one(text(reply) !== "none");
    case "pttl":
    case "ttl":
      return one(Number(reply) !== -2);
    case "exists": {
      const found = Number(reply);
      return { hits: found, misses: Math.max(0, args.length - found) };
    }
    // MEMORY USAGE finds the key without counting a hit or a miss.
    case "object":
      return text(args[0]).toLowerCase() === "help" ? null : one(reply !== null);
    case "hlen":
    case "llen":
    case "scard":
    case "zcard":
    case "strlen":
      return one(Number(reply) > 0);
    case "xlen":
      // An empty stream exists; a missing one answers 0 too. Counted as a hit when non-empty only.
      return one(Number(reply) > 0);
    case "get":
    case "hget":
    case "getrange":
      return one(reply !== null && !(reply === "" && name === "getrange"));
    case "hmget":
      return one(Array.isArray(reply) && reply.some((value) => value !== null));
    case "hgetall":
    case "lrange":
    case "zrange":
    case "xrange":
    case "xrevrange":
      return one(!isEmpty(reply));
    case "hscan":
    case "sscan":
    case "zscan": {
      const [cursor, items] = Array.isArray(reply) ? (reply as unknown[]) : [];
      return one(text(cursor) !== "0" || !isEmpty(items));
    }
    default:
      return null;
  }
}

interface CommandLike {
  name: string;
  args: unknown[];
  promise: Promise<unknown>;
  [COUNTED]?: true;
}

/** A cluster sends a command again after MOVED or ASK: it is counted once. */
const COUNTED = Symbol.for("redis-ml-console.counted-own-read");

function add(connectionId: string, verdict: { hits: number; misses: number }): void {
  let reads = counters().get(connectionId);
  if (!reads) counters().set(connectionId, (reads = { hits: 0, misses: 0 }));
  reads.hits += verdict.hits;
  reads.misses += verdict.misses;
}

/** For reads the hook cannot see inside (a Lua script's lookups): counted by the caller. */
export function recordOwnReads(client: object, verdict: { hits: number; misses: number }): void {
  const connectionId = owners().get(client);
  if (connectionId !== undefined) add(connectionId, verdict);
}

/** For commands a Lua script runs (counted by Redis like any other): counted by the caller. */
export function recordOwnCommands(client: object, calls: Record<string, number>): void {
  const connectionId = owners().get(client);
  if (connectionId === undefined) return;
  let counted = commandCounters().get(connectionId);
  if (!counted) commandCounters().set(connectionId, (counted = { total: 0, calls: {} }));
  for (const [name, count] of Object.entries(calls)) {
    counted.total += count;
    counted.calls[name] = (counted.calls[name] ?? 0) + count;
  }
}

/** The connection a client counts for, if it is hooked. */
export function ownerOf(client: object): string | undefined {
  return owners().get(client);
}

/** Counts the reads and commands that go through `client` (and its pipelines) under `connectionId`; once per client. */
export function countOwnReads(connectionId: string, client: RedisClient): void {
  if (owners().has(client)) return;
  owners().set(client, connectionId);
  const target = client as unknown as { sendCommand: (command: CommandLike, ...rest: unknown[]) => unknown };
  const send = target.sendCommand.bind(client);
  // A cluster client's own tally would never be read: its node clients keep theirs.
  const traffic = isCluster(client) ? null : trafficOf(client);
  target.sendCommand = (command: CommandLike, ...rest: unknown[]) => {
    const result = send(command, ...rest);
    if (command[COUNTED]) {
      // Counted for the connection by the cluster client already; tallied here for this node.
      if (traffic) {
        command.promise.then(
          (reply) => tally(traffic, classifyRead(command.name.toLowerCase(), command.args, reply)),
          () => tally(traffic, null),
        );
      }
      return result;
    }
    command[COUNTED] = true;
    const statName = commandStatName(command.name, command.args);
    command.promise.then(
      (reply) => {
        countCommand(connectionId, statName);
        const verdict = classifyRead(command.name.toLowerCase(), command.args, reply);
        if (verdict) add(connectionId, verdict);
        if (traffic) tally(traffic, verdict);
      },
      () => {
        countCommand(connectionId, statName);
        if (traffic) tally(traffic, null);
      },
    );
    return result;
  };
}
