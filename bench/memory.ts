// The console server's resident memory at the end of a bench run (issue 15): right after the last
// benchmark (reported) and after a quiet minute (the target: back under 300 MB), read from /proc
// (Linux), for the server process and any process it started.
import { readFileSync } from "node:fs";

const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 60);
const TARGET_MB = 300;

/** A process's VmRSS in bytes, or null when it is gone or /proc has no such field. */
function vmRss(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : null;
  } catch {
    return null;
  }
}

/** The pids a process started, and theirs (Linux's per-thread children lists). */
function descendants(pid: number): number[] {
  let tasks: string[] = [];
  try {
    tasks = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
  } catch {
    return [];
  }
  return tasks.map(Number).flatMap((child) => [child, ...descendants(child)]);
}

interface Reading {
  server: number;
  children: number;
  childCount: number;
}

function read(pid: number): Reading | null {
  const server = vmRss(pid);
  if (server === null) return null;
  const children = descendants(pid);
  return {
    server,
    children: children.reduce((sum, child) => sum + (vmRss(child) ?? 0), 0),
    childCount: children.length,
  };
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

/** One row; `targeted` rows carry the target (issue 15: after the run and a quiet minute), others are reported. */
function line(label: string, reading: Reading | null, targeted: boolean): string {
  const target = targeted ? `< ${TARGET_MB} MB` : "— (reported)";
  if (!reading) return `| ${label} | not readable (no /proc?) | ${target} | |`;
  const total = reading.server + reading.children;
  const withChildren = reading.childCount
    ? ` (server ${mb(reading.server)} + ${reading.childCount} child processes ${mb(reading.children)})`
    : "";
  const met = targeted ? (total < TARGET_MB * 2 ** 20 ? "yes" : "**no**") : "";
  return `| ${label} | ${mb(total)}${withChildren} | ${target} | ${met} |`;
}

/** RSS now, then after BENCH_IDLE_SECONDS with no requests, as Markdown. */
export async function serverMemory(pid: number): Promise<string> {
  const afterRun = read(pid);
  await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1_000));
  const afterIdle = read(pid);
  return [
    "### The console server's memory (VmRSS)",
    "",
    "| when | RSS | target | met? |",
    "| --- | --- | --- | --- |",
    line("Right after the benchmarks", afterRun, false),
    line(`After ${IDLE_SECONDS} s idle`, afterIdle, true),
  ].join("\n");
}
