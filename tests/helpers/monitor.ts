import { connect } from "node:net";

/** One command as MONITOR reports it. */
export interface MonitoredCommand {
  /** The arguments as bytes, exactly as the client sent them. */
  bytes: Buffer[];
  /** The same, read as UTF-8. */
  args: string[];
  database: string;
  /** `ip:port` of the client, or `lua` for a command a script ran. */
  source: string;
}

const ESCAPES: Record<string, number> = { n: 10, r: 13, t: 9, a: 7, b: 8 };

/** The quoted arguments of a MONITOR line (Redis writes them with sdscatrepr). */
export function parseMonitorArguments(text: string): Buffer[] {
  const args: Buffer[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === " ") {
      i += 1;
      continue;
    }
    if (text[i] !== '"') throw new Error(`MONITOR line not understood at ${i}: ${text}`);
    const bytes: number[] = [];
    i += 1;
    while (text[i] !== '"') {
      if (i >= text.length) throw new Error(`MONITOR argument not closed: ${text}`);
      const char = text[i]!;
      if (char !== "\\") {
        bytes.push(char.charCodeAt(0));
        i += 1;
        continue;
      }
      const code = text[i + 1] ?? "";
      if (code === "x") {
        bytes.push(parseInt(text.slice(i + 2, i + 4), 16));
        i += 4;
      } else {
        bytes.push(ESCAPES[code] ?? code.charCodeAt(0));
        i += 2;
      }
    }
    args.push(Buffer.from(bytes));
    i += 1;
  }
  return args;
}

/**
 * Runs MONITOR on a socket of its own and reports each command. Not ioredis's monitor(): that
 * client switches to monitoring only once the promise of MONITOR's OK has settled, so a command
 * Redis reports in the same packet as the OK is taken for a reply nobody asked for ("Command queue
 * state error"), which a console sampling every second made happen in e2e runs.
 */
export async function monitorCommands(
  port: number,
  onCommand: (command: MonitoredCommand) => void,
  host = "127.0.0.1",
): Promise<{ stop: () => void }> {
  const socket = connect(port, host);
  socket.setEncoding("latin1");
  await new Promise<void>((resolve, reject) => {
    let pending = "";
    let monitoring = false;
    socket.once("error", reject);
    socket.on("connect", () => socket.write("MONITOR\r\n"));
    socket.on("data", (chunk: string) => {
      pending += chunk;
      let end: number;
      while ((end = pending.indexOf("\r\n")) >= 0) {
        const line = pending.slice(0, end);
        pending = pending.slice(end + 2);
        if (!monitoring) {
          if (line !== "+OK") return reject(new Error(`MONITOR refused: ${line}`));
          monitoring = true;
          resolve();
          continue;
        }
        // +1733380000.123456 [0 127.0.0.1:54321] "set" "key" "value"
        const header = /^\+\S+ \[(\d+) ([^\]]+)\] /.exec(line);
        if (!header) continue;
        const bytes = parseMonitorArguments(line.slice(header[0].length));
        onCommand({
          bytes,
          args: bytes.map((b) => b.toString("utf8")),
          database: header[1]!,
          source: header[2]!,
        });
      }
    });
  });
  return { stop: () => socket.destroy() };
}
