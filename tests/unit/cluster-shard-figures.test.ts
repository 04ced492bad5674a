import { describe, expect, it } from "vitest";
import { shardFigures, shardPoints } from "@/lib/cluster/shard-figures";
import type { NodePoint, NodeSample } from "@/lib/metrics/node-series";

function sample(at: number, fields: Partial<NodeSample> = {}): NodeSample {
  return {
    at,
    hits: 0,
    misses: 0,
    evicted: 0,
    commands: 0,
    netIn: 0,
    netOut: 0,
    ownCommands: 0,
    ownHits: 0,
    ownMisses: 0,
    usedMemory: 1_000,
    maxMemory: 0,
    clients: 1,
    keys: 10,
    uptime: 100 + at / 1_000,
    ...fields,
  };
}

describe("one shard's figures over a window", () => {
  it("leave the console's own commands and reads out of ops/s and the hit rate", () => {
    const points: NodePoint[] = [
      sample(0, { commands: 100, hits: 10, misses: 10, ownCommands: 5, ownHits: 2 }),
      sample(1_000, { commands: 300, hits: 60, misses: 10, ownCommands: 55, ownHits: 42 }),
    ];
    const figures = shardFigures(points, 0, 1_000)!;
    expect(figures.opsPerSec).toBe(150);
    // 50 hits, 40 of them the console's: 10 hits and no misses left.
    expect(figures.hitRate).toBe(1);
    expect(figures.keys).toBe(10);
  });

  it("take no rate across a gap or a restart, and say no reads rather than 0 %", () => {
    const points: NodePoint[] = [
      sample(0, { commands: 100 }),
      { at: 500, gap: true },
      sample(1_000, { commands: 900 }),
      sample(2_000, { commands: 5, uptime: 1 }),
    ];
    const figures = shardFigures(points, 0, 2_000)!;
    expect(figures.opsPerSec).toBeNull();
    expect(figures.hitRate).toBeNull();
    expect(shardPoints(points, 0, 2_000, 1_000).map((point) => point.opsPerSec)).toEqual([null, null, null]);
  });
});
