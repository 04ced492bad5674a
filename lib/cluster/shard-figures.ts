import type { NodePoint, NodeSample } from "@/lib/metrics/node-series";
import { round } from "@/lib/metrics/sample";

// One master's figures over the chosen window, from the sampler's per-node INFO
// (lib/metrics/node-series.ts): rates and the hit rate from counter deltas step by step, never
// across a gap or a restart, with the console's own commands and reads left out (DESIGN.md
// contract 11). Pure, so the arithmetic is unit-tested.

export interface ShardFigures {
  at: number;
  keys: number;
  usedMemory: number;
  /** 0 when the node has no limit. */
  maxMemory: number;
  clients: number;
  /** Per second over the window; null when no step fell inside it. */
  opsPerSec: number | null;
  /** hits / (hits + misses) over the window; null when nothing was read. */
  hitRate: number | null;
  netInPerSec: number | null;
  netOutPerSec: number | null;
  evictedPerSec: number | null;
  /** Keys evicted during the window. */
  evicted: number;
}

/** One chart point of one shard: a bucket of the window. */
export interface ShardPoint {
  at: number;
  opsPerSec: number | null;
  usedMemory: number;
  keys: number;
}

function isSample(point: NodePoint): point is NodeSample {
  return !("gap" in point);
}

function restarted(prev: NodeSample, next: NodeSample): boolean {
  return (
    next.uptime < prev.uptime ||
    next.commands < prev.commands ||
    next.hits < prev.hits ||
    next.misses < prev.misses ||
    next.ownCommands < prev.ownCommands
  );
}

interface Step {
  at: number;
  seconds: number;
  commands: number;
  hits: number;
  misses: number;
  netIn: number;
  netOut: number;
  evicted: number;
}

/** The steps ending inside [from, to]. */
function stepsOf(points: NodePoint[], from: number, to: number): Step[] {
  const steps: Step[] = [];
  let prev: NodeSample | null = null;
  for (const point of points) {
    if (!isSample(point)) {
      prev = null;
      continue;
    }
    if (prev && point.at >= from && point.at <= to && point.at > prev.at && !restarted(prev, point)) {
      const delta = (field: keyof NodeSample) => Math.max(0, point[field] - prev![field]);
      const own = delta("ownCommands");
      steps.push({
        at: point.at,
        seconds: (point.at - prev.at) / 1_000,
        commands: Math.max(0, delta("commands") - own),
        hits: Math.max(0, delta("hits") - delta("ownHits")),
        misses: Math.max(0, delta("misses") - delta("ownMisses")),
        netIn: delta("netIn"),
        netOut: delta("netOut"),
        evicted: delta("evicted"),
      });
    }
    prev = point;
  }
  return steps;
}

function lastSample(points: NodePoint[]): NodeSample | null {
  for (let i = points.length - 1; i >= 0; i--) {
    const point = points[i]!;
    if (isSample(point)) return point;
  }
  return null;
}

export function shardFigures(points: NodePoint[], from: number, to: number): ShardFigures | null {
  const last = lastSample(points);
  if (!last) return null;
  const steps = stepsOf(points, from, to);
  const sum = (field: keyof Step) => steps.reduce((total, step) => total + step[field], 0);
  const seconds = sum("seconds");
  const rate = (field: keyof Step) => (seconds > 0 ? round(sum(field) / seconds) : null);
  const reads = sum("hits") + sum("misses");
  return {
    at: last.at,
    keys: last.keys,
    usedMemory: last.usedMemory,
    maxMemory: last.maxMemory,
    clients: last.clients,
    opsPerSec: rate("commands"),
    hitRate: reads > 0 ? sum("hits") / reads : null,
    netInPerSec: rate("netIn"),
    netOutPerSec: rate("netOut"),
    evictedPerSec: rate("evicted"),
    evicted: sum("evicted"),
  };
}

/** Chart points in buckets of `stepMs` (aligned, so every shard's buckets meet on one time axis). */
export function shardPoints(points: NodePoint[], from: number, to: number, stepMs: number): ShardPoint[] {
  const steps = new Map<number, { commands: number; seconds: number }>();
  for (const step of stepsOf(points, from, to)) {
    const bucket = Math.floor(step.at / stepMs) * stepMs;
    const seen = steps.get(bucket) ?? { commands: 0, seconds: 0 };
    seen.commands += step.commands;
    seen.seconds += step.seconds;
    steps.set(bucket, seen);
  }
  const out = new Map<number, ShardPoint>();
  for (const point of points) {
    if (!isSample(point) || point.at < from || point.at > to) continue;
    const bucket = Math.floor(point.at / stepMs) * stepMs;
    const step = steps.get(bucket);
    out.set(bucket, {
      at: bucket,
      opsPerSec: step && step.seconds > 0 ? round(step.commands / step.seconds) : null,
      usedMemory: point.usedMemory,
      keys: point.keys,
    });
  }
  return [...out.values()];
}
