import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Redis, { Cluster } from "ioredis";
import { freePort, startRedisServer, type RedisServerHandle } from "@/scripts/lib/redis-server";

/** Three masters sharing the 16,384 slots, and a cluster client to write and check keys with. */
export async function startTestCluster(): Promise<{ servers: RedisServerHandle[]; client: Cluster }> {
  const dir = mkdtempSync(path.join(tmpdir(), "test-cluster-"));
  const busPorts: number[] = [];
  // A port found free can be taken before redis-server binds it (tests run side by side): a node
  // that exits while starting is started again on other ports.
  const startNode = async (i: number): Promise<RedisServerHandle> => {
    for (let attempt = 1; ; attempt++) {
      const busPort = await freePort();
      try {
        const server = await startRedisServer({
          extraArgs: [
            ...["--cluster-enabled", "yes", "--cluster-port", String(busPort)],
            ...["--cluster-config-file", path.join(dir, `nodes-${i}-${attempt}.conf`)],
          ],
        });
        busPorts[i] = busPort;
        return server;
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
  };
  const servers = await Promise.all([0, 1, 2].map(startNode));
  const nodes = servers.map((handle) => new Redis(handle.url, { protocol: 2 }));
  try {
    const slots = [
      [0, 5460],
      [5461, 10922],
      [10923, 16383],
    ];
    await Promise.all(nodes.map((node, i) => node.call("CLUSTER", "ADDSLOTSRANGE", ...slots[i]!)));
    for (const node of nodes.slice(1)) {
      await node.call("CLUSTER", "MEET", "127.0.0.1", servers[0]!.port, busPorts[0]!);
    }
    const deadline = Date.now() + 20_000;
    for (const node of nodes) {
      while (!String(await node.call("CLUSTER", "INFO")).includes("cluster_state:ok")) {
        if (Date.now() > deadline) throw new Error("the test cluster did not come up");
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } catch (error) {
    await Promise.all(servers.map((handle) => handle.stop()));
    throw error;
  } finally {
    for (const node of nodes) node.disconnect();
  }
  const client = new Cluster(
    servers.map(({ port }) => ({ host: "127.0.0.1", port })),
    { redisOptions: { protocol: 2 }, enableAutoPipelining: true },
  );
  return { servers, client };
}
