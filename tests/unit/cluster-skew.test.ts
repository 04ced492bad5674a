import { describe, expect, it } from "vitest";
import { hashTagOf } from "@/lib/cluster/hash-tags";
import { judgeSkew, SKEW_RATIO } from "@/lib/cluster/skew";
import { parseClusterNodesLines, shardsFromNodes } from "@/lib/cluster/topology-parse";

describe("the skew judgement", () => {
  it("calls a shard holding 1.5× the mean or more skewed, and names it", () => {
    const report = judgeSkew([
      { keys: 6_200, memory: 9e6, ops: 50 },
      { keys: 200, memory: 2e6, ops: 48 },
      { keys: 210, memory: 2e6, ops: 52 },
    ]);
    expect(report.verdict).toBe("skewed");
    expect(report.worst).toMatchObject({ metric: "keys", shard: 0 });
    expect(report.worst!.ratio).toBeGreaterThan(2.8);
    expect(report.measures.find((m) => m.metric === "ops")?.skewed).toBe(false);
    expect(SKEW_RATIO).toBe(1.5);
  });

  it("does not judge figures too small to mean anything, nor a single shard", () => {
    expect(judgeSkew([{ keys: 3, memory: 1e6, ops: 1 }]).verdict).toBe("single");
    const idle = judgeSkew([
      { keys: 9, memory: 1e6, ops: 3 },
      { keys: 0, memory: 1e6, ops: 0 },
    ]);
    expect(idle.verdict).toBe("balanced");
    expect(idle.measures.filter((m) => m.judged).map((m) => m.metric)).toEqual(["memory"]);
  });

  it("is unknown while another console instance holds the per-shard figures", () => {
    expect(
      judgeSkew([
        { keys: null, memory: null, ops: null },
        { keys: null, memory: null, ops: null },
      ]).verdict,
    ).toBe("unknown");
  });
});

describe("hash tags", () => {
  it("read the first {…} with something inside, as Redis hashes it", () => {
    expect(hashTagOf(Buffer.from("{user:1}:a"))?.toString()).toBe("user:1");
    expect(hashTagOf(Buffer.from("a{}{b}"))).toBeNull();
    expect(hashTagOf(Buffer.from("a{b"))).toBeNull();
    expect(hashTagOf(Buffer.from("x{y}z{w}"))?.toString()).toBe("y");
  });
});

describe("CLUSTER NODES", () => {
  it("gives masters with their replicas, slots and failover flags", () => {
    const shards = shardsFromNodes(
      parseClusterNodesLines(
        [
          "a1 127.0.0.1:7000@17000 myself,master - 0 0 1 connected 0-5460",
          "b2 127.0.0.1:7001@17001 master,fail? - 0 0 2 connected 5461-10922 [5000->-a1]",
          "c3 127.0.0.1:7002@17002 master - 0 0 3 connected 10923-16383",
          "d4 127.0.0.1:7003@17003 slave,nofailover b2 0 0 2 disconnected",
        ].join("\n"),
      ),
    );
    expect(shards.map((shard) => shard.slotCount)).toEqual([5461, 5462, 5461]);
    expect(shards[1]!.master.flags).toEqual(["pfail"]);
    expect(shards[1]!.replicas[0]).toMatchObject({
      address: "127.0.0.1:7003",
      link: "disconnected",
      flags: ["nofailover"],
    });
  });
});
