import { spawn, type ChildProcess } from "node:child_process";

// Starts tests/helpers/instance-child.ts: another console process on the same Redis.

export interface ChildInstance {
  process: ChildProcess;
  /** The first JSON line the child printed. */
  output: Promise<unknown>;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
}

export function startChildInstance(
  task: string,
  arg: string,
  env: Record<string, string> = {},
): ChildInstance {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=react-server", "tests/helpers/instance-child.ts"],
    {
      env: { ...process.env, ...env, INSTANCE_TASK: task, INSTANCE_ARG: arg },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const output = new Promise<unknown>((resolve, reject) => {
    let text = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      const line = text.split("\n").find((candidate) => candidate.startsWith("{"));
      if (line && text.includes("\n")) resolve(JSON.parse(line));
    });
    child.on("exit", (code) => reject(new Error(`instance child exited with ${code} before answering`)));
  });
  output.catch(() => {});
  const exited = new Promise<number | string>((resolve) =>
    child.on("exit", (code, signal) => resolve(code ?? signal ?? "unknown")),
  );
  return { process: child, output, exited };
}

/** Runs a task to its end and returns what it printed. */
export async function runChildInstance(
  task: string,
  arg: string,
  env: Record<string, string> = {},
): Promise<unknown> {
  const child = startChildInstance(task, arg, env);
  const [output, code] = await Promise.all([child.output, child.exited]);
  if (code !== 0) throw new Error(`instance child exited with ${code}`);
  return output;
}
