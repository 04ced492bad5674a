import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseInfo, parseKeyspace, summarizeInfo } from "@/lib/redis/info";

const info7 = readFileSync(path.join(__dirname, "fixtures/info-7.0.txt"), "utf8");

describe("parseInfo", () => {
  it("reads sections and fields from real redis-server 7.0 output (CRLF)", () => {
    const sections = parseInfo(info7);
    expect(sections.server?.redis_version).toBe("7.0.15");
    expect(sections.memory?.used_memory).toBe("1067608");
    expect(sections.stats?.keyspace_hits).toBe("1");
    expect(Object.keys(sections)).toEqual(
      expect.arrayContaining(["server", "clients", "memory", "stats", "replication", "keyspace"]),
    );
  });

  it("lists databases in order with keys and expiring keys", () => {
    expect(parseKeyspace(parseInfo(info7).keyspace)).toEqual([
      { db: 0, keys: 1, expires: 0 },
      { db: 2, keys: 1, expires: 1 },
    ]);
  });
});

function node(fields: {
  version: string;
  uptime: number;
  mem: number;
  hits: number;
  misses: number;
  db0: number;
}) {
  return parseInfo(
    [
      "# Server",
      `redis_version:${fields.version}`,
      `uptime_in_seconds:${fields.uptime}`,
      "# Memory",
      `used_memory:${fields.mem}`,
      "maxmemory:1000",
      "maxmemory_policy:allkeys-lru",
      "# Stats",
      `keyspace_hits:${fields.hits}`,
      `keyspace_misses:${fields.misses}`,
      "instantaneous_ops_per_sec:5",
      "# Keyspace",
      `db0:keys=${fields.db0},expires=1,avg_ttl=10`,
    ].join("\r\n"),
  );
}

describe("summarizeInfo", () => {
  it("sums a cluster's masters and reports the youngest uptime and oldest version", () => {
    const summary = summarizeInfo(
      [
        node({ version: "7.2.4", uptime: 500, mem: 100, hits: 300, misses: 0, db0: 10 }),
        node({ version: "7.0.15", uptime: 90, mem: 50, hits: 0, misses: 100, db0: 5 }),
      ],
      "cluster",
    );
    expect(summary.version).toBe("7.0.15");
    expect(summary.uptimeSeconds).toBe(90);
    expect(summary.usedMemoryBytes).toBe(150);
    expect(summary.maxMemoryBytes).toBe(2000);
    expect(summary.opsPerSecond).toBe(10);
    expect(summary.hitRatio).toBeCloseTo(0.75);
    expect(summary.keyspace).toEqual([{ db: 0, keys: 15, expires: 2 }]);
    expect(summary.nodes).toBe(2);
  });

  it("says there were no reads instead of inventing a ratio", () => {
    const summary = summarizeInfo(
      [node({ version: "7.0.0", uptime: 1, mem: 1, hits: 0, misses: 0, db0: 0 })],
      "standalone",
    );
    expect(summary.hitRatio).toBeNull();
  });
});
