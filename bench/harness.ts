// Shared by every benchmark: timing, percentiles, and the side-by-side table with the plain floor.
import os from "node:os";

export interface Timing {
  p50: number;
  p95: number;
  mean: number;
  runs: number;
}

export async function time(
  runs: number,
  work: () => Promise<unknown>,
  warmup = Math.min(50, runs),
): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return { p50: at(0.5), p95: at(0.95), mean: samples.reduce((s, v) => s + v, 0) / samples.length, runs };
}

export interface Row {
  name: string;
  floor: Timing;
  console: Timing;
  target?: string;
}

const ms = (value: number) => `${value.toFixed(2)} ms`;

export function table(rows: Row[]): string {
  const lines = [
    "| benchmark | plain ioredis p50 | console p50 | console p95 | ratio (p50) | target |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows.map(
      (r) =>
        `| ${r.name} | ${ms(r.floor.p50)} | ${ms(r.console.p50)} | ${ms(r.console.p95)} | ${(r.console.p50 / r.floor.p50).toFixed(2)}× | ${r.target ?? "—"} |`,
    ),
  ];
  return lines.join("\n");
}

export function machine(): string {
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  return `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
}
