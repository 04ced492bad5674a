import "server-only";
import { Cluster, type Redis } from "ioredis";

// The client types lib/ works with, in a file of their own: the registry makes clients and
// lib/redis/own-reads hooks them, and neither needs the other to name them.

/** A connection's command client: one server (standalone or Sentinel) or a whole cluster. */
export type RedisClient = Redis | Cluster;

/** One server: a standalone or Sentinel connection's client, or one master of a cluster. */
export type RedisNode = Redis;

/** A cluster spreads keys over masters: pipelines and scripts cannot span slots there. */
export function isCluster(client: RedisClient): client is Cluster {
  return client instanceof Cluster;
}
