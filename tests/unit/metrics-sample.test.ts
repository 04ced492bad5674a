import { describe, expect, it } from "vitest";
import { downsample } from "@/lib/metrics/downsample";
import {
  hitRate,
  isGap,
  markGaps,
  parseCommandStats,
  rates,
  toSample,
  TOP_COMMANDS_KEPT,
  type Sample,
  type SeriesPoint,
} from "@/lib/metrics/sample";
import { buildHistory } from "@/lib/metrics/history";
import { ownCallsFor } from "@/lib/metrics/own-counters";
import { commandStatName } from "@/lib/redis/own-reads";
import { parseInfo } from "@/lib/redis/info";

/** A sample at `seconds` with traffic counters; everything else at rest. */
function sample(seconds: number, fields: Partial<Sample> = {}): Sample {
  return {
    at: seconds * 1_000,
    hits: 0,
    misses: 0,
    expired: 0,
    evicted: 0,
    commands: 0,
    netIn: 0,
    netOut: 0,
    calls: {},
    usedMemory: 1_000,
    maxMemory: 0,
    fragmentation: 1,
    clients: 1,
    blocked: 0,
    keys: 0,
    uptime: 1_000 + seconds,
    nodes: 1,
    ...fields,
  };
}

describe("hit rate over a window", () => {
  it("is Δhits / (Δhits + Δmisses): 300 hits and 100 misses read as 75%, whatever the lifetime totals", () => {
    // Lifetime totals say 10% (1,000 hits, 9,000 misses before the window); the window says 75%.
    const series = [
      sample(0, { hits: 1_000, misses: 9_000 }),
      sample(1, { hits: 1_100, misses: 9_050 }),
      sample(2, { hits: 1_250, misses: 9_050 }),
      sample(3, { hits: 1_300, misses: 9_100 }),
    ];
    expect(hitRate(series, 0, 3_000)).toEqual({ ratio: 0.75, hits: 300, misses: 100 });
  });

  it("counts only the steps that end inside the window", () => {
    const series = [
      sample(0, { hits: 0, misses: 0 }),
      sample(1, { hits: 0, misses: 500 }),
      sample(2, { hits: 300, misses: 600 }),
    ];
    expect(hitRate(series, 1_500, 2_000)).toEqual({ ratio: 0.75, hits: 300, misses: 100 });
  });

  it("says null when no reads happened — not 100%, not 0%", () => {
    const idle = [sample(0, { hits: 40, misses: 10 }), sample(1, { hits: 40, misses: 10 })];
    expect(hitRate(idle, 0, 1_000)).toEqual({ ratio: null, hits: 0, misses: 0 });
    expect(hitRate([], 0, 1_000).ratio).toBeNull();
    expect(hitRate([sample(0, { hits: 5 })], 0, 1_000).ratio).toBeNull();
  });

  it("skips a step across a restart instead of counting a negative delta", () => {
    const series = [
      sample(0, { hits: 1_000, misses: 1_000 }),
      sample(1, { hits: 1_200, misses: 1_100 }),
      // Redis restarted: counters start again from zero and the uptime drops.
      sample(2, { hits: 60, misses: 0, uptime: 1 }),
      sample(3, { hits: 160, misses: 0, uptime: 2 }),
    ];
    const rate = hitRate(series, 0, 3_000);
    expect(rate).toEqual({ ratio: 300 / 400, hits: 300, misses: 100 });
  });

  it("skips a step across CONFIG RESETSTAT (counters down, uptime still growing)", () => {
    const series = [
      sample(0, { hits: 500, misses: 500 }),
      sample(1, { hits: 0, misses: 0 }),
      sample(2, { hits: 3, misses: 1 }),
    ];
    expect(hitRate(series, 0, 2_000)).toEqual({ ratio: 0.75, hits: 3, misses: 1 });
  });

  it("skips a step across a gap mark", () => {
    const series: SeriesPoint[] = [
      sample(0, { hits: 0, misses: 0 }),
      sample(1, { hits: 3, misses: 1 }),
      { at: 1_500, gap: "unreachable" },
      sample(9, { hits: 1_003, misses: 1 }),
    ];
    expect(hitRate(series, 0, 9_000)).toEqual({ ratio: 0.75, hits: 3, misses: 1 });
  });
});

describe("rates between two samples", () => {
  it("are per second: two samples 2 s apart", () => {
    const prev = sample(10, {
      commands: 1_000,
      expired: 10,
      evicted: 0,
      netIn: 5_000,
      netOut: 20_000,
      calls: { get: 600, set: 300, info: 5 },
    });
    const next = sample(12, {
      commands: 1_400,
      expired: 16,
      evicted: 4,
      netIn: 9_000,
      netOut: 30_000,
      calls: { get: 900, set: 380, hset: 7 },
    });
    expect(rates(prev, next)).toEqual({
      from: 10_000,
      to: 12_000,
      reset: false,
      seconds: 2,
      hits: 0,
      misses: 0,
      opsPerSec: 200,
      consolePerSec: 0,
      expiredPerSec: 3,
      evictedPerSec: 2,
      netInPerSec: 2_000,
      netOutPerSec: 5_000,
      // hset was not in the earlier sample's top commands, so it has no rate yet.
      commandsPerSec: { get: 150, set: 40 },
    });
  });

  it("give no rate, and say so, when a counter went down", () => {
    const prev = sample(0, { commands: 5_000, netIn: 10_000 });
    const next = sample(1, { commands: 12, netIn: 300 });
    expect(rates(prev, next)).toEqual({ from: 0, to: 1_000, reset: true });
  });

  it("give no rate when the cluster's node count changed", () => {
    expect(rates(sample(0), sample(1, { nodes: 2 })).reset).toBe(true);
  });
});

function infoText(lines: string[]): string {
  return lines.join("\r\n") + "\r\n";
}

describe("reading INFO into a sample", () => {
  it("parses commandstats lines into calls per command, subcommands included", () => {
    const info = parseInfo(
      infoText([
        "# Commandstats",
        "cmdstat_get:calls=21,usec=175,usec_per_call=8.33,rejected_calls=0,failed_calls=0",
        "cmdstat_client|setname:calls=3,usec=4,usec_per_call=1.33,rejected_calls=0,failed_calls=0",
        "cmdstat_info:calls=7,usec=900,usec_per_call=128.57,rejected_calls=0,failed_calls=0",
        "garbage_line:calls=1",
      ]),
    );
    expect(parseCommandStats(info.commandstats)).toEqual({ get: 21, "client|setname": 3, info: 7 });
    expect(parseCommandStats(undefined)).toEqual({});
  });

  it("sums counters and gauges over cluster masters, keeping the top commands", () => {
    const node = (hits: number, used: number, fragmentation: number, maxmemory: number, extra: string[]) =>
      parseInfo(
        infoText([
          "# Server",
          `uptime_in_seconds:${hits}`,
          "# Clients",
          "connected_clients:3",
          "blocked_clients:1",
          "# Memory",
          `used_memory:${used}`,
          `maxmemory:${maxmemory}`,
          `mem_fragmentation_ratio:${fragmentation}`,
          "# Stats",
          "total_commands_processed:1000",
          "total_net_input_bytes:10",
          "total_net_output_bytes:20",
          `keyspace_hits:${hits}`,
          "keyspace_misses:5",
          "expired_keys:2",
          "evicted_keys:1",
          "# Keyspace",
          "db0:keys=10,expires=2,avg_ttl=0",
          "db3:keys=5,expires=0,avg_ttl=0",
          "# Commandstats",
          ...extra,
        ]),
      );
    const many = Array.from({ length: 12 }, (_, i) => `cmdstat_cmd${i}:calls=${100 - i},usec=1`);
    const a = node(300, 1_000, 1.5, 4_000, ["cmdstat_get:calls=500,usec=1", ...many]);
    const b = node(200, 3_000, 1.1, 6_000, ["cmdstat_get:calls=250,usec=1", "cmdstat_set:calls=97,usec=1"]);
    const s = toSample([a, b], 42);
    expect(s).toMatchObject({
      at: 42,
      hits: 500,
      misses: 10,
      expired: 4,
      evicted: 2,
      commands: 2_000,
      netIn: 20,
      netOut: 40,
      usedMemory: 4_000,
      maxMemory: 10_000,
      // Weighted by used memory: (1.5 × 1000 + 1.1 × 3000) / 4000.
      fragmentation: 1.2,
      clients: 6,
      blocked: 2,
      keys: 30,
      uptime: 200,
      nodes: 2,
    });
    expect(Object.keys(s.calls)).toHaveLength(TOP_COMMANDS_KEPT);
    expect(s.calls.get).toBe(750);
    expect(s.calls.cmd0).toBe(100);
    // set (97 calls, summed across nodes) ranks among the ten; cmd8 (92) does not.
    expect(s.calls.set).toBe(97);
    expect(s.calls.cmd8).toBeUndefined();

    const unlimited = node(1, 1_000, 1, 0, []);
    expect(toSample([a, unlimited], 0).maxMemory).toBe(0);
  });
});

describe("downsampling", () => {
  const raw = Array.from({ length: 30 }, (_, i) =>
    sample(i, {
      hits: i * 3,
      misses: i,
      commands: i * 10,
      usedMemory: i === 13 ? 9_999 : 1_000 + i,
      clients: i % 7,
    }),
  );

  it("keeps each bucket's last counters (monotone) and its peak gauges", () => {
    const buckets = downsample(raw, 10_000) as Sample[];
    expect(buckets.map((b) => b.at)).toEqual([9_000, 19_000, 29_000]);
    expect(buckets.map((b) => b.commands)).toEqual([90, 190, 290]);
    for (let i = 1; i < buckets.length; i++) {
      expect(buckets[i]!.hits).toBeGreaterThanOrEqual(buckets[i - 1]!.hits);
      expect(buckets[i]!.commands).toBeGreaterThanOrEqual(buckets[i - 1]!.commands);
    }
    expect(buckets.map((b) => b.usedMemory)).toEqual([1_009, 9_999, 1_029]);
    expect(buckets.map((b) => b.clients)).toEqual([6, 6, 6]);
  });

  it("gives the same window hit rate as the raw series", () => {
    expect(hitRate(downsample(raw, 10_000), 9_000, 29_000)).toEqual(hitRate(raw, 10_000, 29_000));
  });

  it("splits a bucket at a gap mark, so no step spans the gap", () => {
    const series: SeriesPoint[] = [
      sample(0),
      sample(1),
      { at: 1_500, gap: "unreachable" },
      sample(8),
      sample(9),
    ];
    const out = downsample(series, 10_000);
    expect(out.map((p) => (isGap(p) ? p.gap : p.at))).toEqual([1_000, "unreachable", 9_000]);
  });

  it("splits a bucket at a restart and marks it, so the restart step has no rate", () => {
    const series = [
      sample(0, { hits: 500 }),
      sample(1, { hits: 600 }),
      sample(2, { hits: 10, uptime: 1 }),
      sample(3, { hits: 900, uptime: 2 }),
    ];
    const out = downsample(series, 10_000) as Sample[];
    expect(out).toHaveLength(2);
    expect(out[1]!.reset).toBe(true);
    // Without the mark, 600 → 900 would pass for 300 hits.
    expect(rates(out[0]!, out[1]!).reset).toBe(true);
    expect(hitRate(out, 0, 10_000).ratio).toBeNull();
  });
});

describe("marking silences", () => {
  it("puts a not-sampled mark between samples further apart than the longest step", () => {
    const out = markGaps([sample(0), sample(1), sample(60), sample(61)], 5_000);
    expect(out.map((p) => (isGap(p) ? p.gap : p.at))).toEqual([0, 1_000, "not-sampled", 60_000, 61_000]);
  });
});

describe("the console's own reads", () => {
  const own = (by: number, hits: number, misses: number) => ({ own: { by, hits, misses } });

  it("are left out of a step sampled twice by the same console process", () => {
    const series = [
      sample(0, { hits: 1_000, misses: 100, ...own(7, 50, 5) }),
      sample(1, { hits: 1_700, misses: 300, ...own(7, 450, 105) }),
    ];
    // 700 hits, 400 of them the console's; 200 misses, 100 of them the console's.
    expect(hitRate(series, 0, 1_000)).toEqual({ ratio: 0.75, hits: 300, misses: 100 });
    expect(rates(series[0]!, series[1]!)).toMatchObject({ hits: 300, misses: 100 });
  });

  it("are not compared across processes (the lease moved), and never push a step below zero", () => {
    const moved = [
      sample(0, { hits: 1_000, ...own(7, 500, 0) }),
      sample(1, { hits: 1_100, ...own(8, 10, 0) }),
    ];
    expect(hitRate(moved, 0, 1_000)).toMatchObject({ hits: 100 });
    const early = [sample(0, { hits: 0, ...own(7, 0, 0) }), sample(1, { hits: 10, ...own(7, 25, 0) })];
    expect(hitRate(early, 0, 1_000)).toEqual({ ratio: null, hits: 0, misses: 0 });
  });

  it("compare across processes when both are every instance's count (console state's sum)", () => {
    const shared = (by: number, hits: number) => ({ own: { by, shared: true as const, hits, misses: 0 } });
    const moved = [
      sample(0, { hits: 1_000, ...shared(7, 500) }),
      sample(1, { hits: 1_100, ...shared(8, 560) }),
    ];
    expect(hitRate(moved, 0, 1_000)).toMatchObject({ hits: 40 });
    const once = [
      sample(0, { hits: 1_000, ...own(7, 500, 0) }),
      sample(1, { hits: 1_100, ...shared(8, 560) }),
    ];
    expect(hitRate(once, 0, 1_000)).toMatchObject({ hits: 100 });
  });
});

describe("the console's own commands", () => {
  const own = (by: number, commands: number, calls: Record<string, number>) => ({
    own: { by, hits: 0, misses: 0, commands, calls },
  });

  it("are left out of ops/s and of each command's series, and reported apart", () => {
    // 220 ops/s of traffic (get) while the Cache page sends 13,000 TYPE and PTTL in one second.
    const series = [
      sample(0, {
        commands: 10_000,
        calls: { get: 5_000, type: 100, pttl: 100 },
        ...own(7, 300, { type: 100, pttl: 100 }),
      }),
      sample(1, {
        commands: 23_220,
        calls: { get: 5_220, type: 6_600, pttl: 6_600 },
        ...own(7, 13_300, { type: 6_600, pttl: 6_600 }),
      }),
    ];
    expect(rates(series[0]!, series[1]!)).toMatchObject({
      opsPerSec: 220,
      consolePerSec: 13_000,
      commandsPerSec: { get: 220, type: 0, pttl: 0 },
    });
    const history = buildHistory(series, {
      range: "1m",
      from: 0,
      to: 1_000,
      stepMs: 1_000,
      maxStepMs: 5_000,
    });
    // The console's commands no longer rank among the top commands.
    expect(history.topCommands).toEqual(["get"]);
    expect(history.points[1]).toMatchObject({ opsPerSec: 220, consolePerSec: 13_000 });
  });

  it("are not subtracted across processes, nor from samples that did not count them", () => {
    const moved = [
      sample(0, { commands: 0, ...own(7, 0, {}) }),
      sample(1, { commands: 500, ...own(8, 400, {}) }),
    ];
    expect(rates(moved[0]!, moved[1]!)).toMatchObject({ opsPerSec: 500, consolePerSec: 0 });
    const older = [sample(0, { commands: 0 }), sample(1, { commands: 500, ...own(7, 400, {}) })];
    expect(rates(older[0]!, older[1]!)).toMatchObject({ opsPerSec: 500 });
  });

  it("are named as commandstats names them, and matched to Redis 6's names without subcommands", () => {
    expect(commandStatName("memory", [Buffer.from("USAGE"), "k"])).toBe("memory|usage");
    expect(commandStatName("TYPE", ["k"])).toBe("type");
    expect(commandStatName("xinfo", ["GROUPS", "s"])).toBe("xinfo|groups");
    expect(ownCallsFor({ "memory|usage": 9, type: 3 }, { "memory|usage": 2, type: 1, hlen: 5 })).toEqual({
      "memory|usage": 2,
      type: 1,
    });
    expect(ownCallsFor({ memory: 9 }, { "memory|usage": 2, "memory|stats": 1 })).toEqual({ memory: 3 });
  });
});
