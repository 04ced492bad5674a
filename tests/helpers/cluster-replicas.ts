import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Redis, { type Cluster } from "ioredis";
import { freePort, startRedisServer, type RedisServerHandle } from "@/scripts/lib/redis-server";
import { startTestCluster } from "@/tests/helpers/cluster";

/**
 * The test cluster (three masters) with one replica each, on free ports. Replicas take DEBUG
 * commands, so a test can make one fall behind (DEBUG SLEEP).
 */
export async function startTestClusterWithReplicas(): Promise<{
  servers: RedisServerHandle[];
  replicas: RedisServerHandle[];
  client: Cluster;
}> {
  const { servers, client } = await startTestCluster();
  const dir = mkdtempSync(path.join(tmpdir(), "test-cluster-replicas-"));
  const replicas = await Promise.all(
    servers.map(async (_, i) =>
      startRedisServer({
        extraArgs: [
          ...["--cluster-enabled", "yes", "--cluster-port", String(await freePort())],
          ...["--cluster-config-file", path.join(dir, `nodes-${i}.conf`), "--enable-debug-command", "yes"],
          // A replica stores the copy its master sends it: here, not in the working directory.
          ...["--dir", dir, "--dbfilename", `replica-${i}.rdb`],
        ],
      }),
    ),
  );
  const masters = servers.map((handle) => new Redis(handle.url, { protocol: 2 }));
  const followers = replicas.map((handle) => new Redis(handle.url, { protocol: 2 }));
  try {
    const busPort = Number(
      String(await masters[0]!.config("GET", "cluster-port").then((r) => (r as string[])[1])),
    );
    for (const follower of followers)
      await follower.call("CLUSTER", "MEET", "127.0.0.1", servers[0]!.port, busPort);
    const ids = await Promise.all(masters.map((master) => master.call("CLUSTER", "MYID")));
    const deadline = Date.now() + 20_000;
    for (const [i, follower] of followers.entries()) {
      // The new node must have heard of its master through gossip before it can follow it.
      for (;;) {
        try {
          await follower.call("CLUSTER", "REPLICATE", String(ids[i]));
          break;
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    }
    for (const master of masters) {
      while (!/slave0:.*state=online/.test(await master.info("replication"))) {
        if (Date.now() > deadline) throw new Error("the test cluster's replicas did not come up");
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } catch (error) {
    client.disconnect();
    await Promise.all([...servers, ...replicas].map((handle) => handle.stop()));
    throw error;
  } finally {
    for (const node of [...masters, ...followers]) node.disconnect();
  }
  return { servers, replicas, client };
}
