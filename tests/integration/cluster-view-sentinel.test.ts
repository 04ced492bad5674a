import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getClusterView } from "@/lib/cluster";
import { closeMetricsSamplers } from "@/lib/metrics/samplers";
import { closeAllClients } from "@/lib/redis/registry";
import { MASTER_NAME, startSentinelSetup, type SentinelSetup } from "@/tests/helpers/sentinel";

// The Cluster page of a Sentinel set: one shard, its master where the sentinels point, and the
// replica that follows it, from the master's INFO replication (the sampler's, not one of its own).
const CONN = "ha";
let setup: SentinelSetup;

beforeAll(async () => {
  setup = await startSentinelSetup();
  process.env.CONSOLE_CONNECTIONS = JSON.stringify([
    {
      id: CONN,
      type: "sentinel",
      masterName: MASTER_NAME,
      sentinels: setup.sentinels.map(({ port }) => ({ host: "127.0.0.1", port })),
    },
  ]);
});

afterAll(async () => {
  await closeMetricsSamplers();
  await closeAllClients();
  delete process.env.CONSOLE_CONNECTIONS;
  await setup?.stop();
});

describe("a Sentinel set on the Cluster page", () => {
  it("is one shard: the master the sentinels name, with its replica and its lag", async () => {
    const deadline = Date.now() + 15_000;
    let view = await getClusterView(CONN, "1m");
    while (!view.shards[0]?.figures || view.shards[0].replicas.length === 0) {
      if (Date.now() > deadline) throw new Error("the sampler did not read INFO in time");
      await new Promise((resolve) => setTimeout(resolve, 200));
      view = await getClusterView(CONN, "1m");
    }
    expect(view.mode).toBe("sentinel");
    expect(view.skew.verdict).toBe("single");
    expect(view.shards).toHaveLength(1);
    const shard = view.shards[0]!;
    expect(shard.master.address).toBe(`127.0.0.1:${await setup.primaryPort()}`);
    expect(shard.replicas.map((replica) => replica.address)).toEqual([`127.0.0.1:${setup.replica.port}`]);
    expect(shard.replicas[0]!.lagBytes).toBeGreaterThanOrEqual(0);
  });
});
