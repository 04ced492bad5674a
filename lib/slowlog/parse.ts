import { displayBytes } from "@/lib/redis/keys";

// SLOWLOG GET and CONFIG GET replies (RESP2, bulk strings as Buffers) → what the Cache page shows.
// Pure, so it is unit-tested over raw replies. Redis already cuts what it logs: at most 32
// arguments (the 32nd becomes "... (N more arguments)") and 128 bytes of each (followed by
// "... (N more bytes)"). The page cuts further, to keep a row on one line; both cuts are counted.

/** Arguments shown per command; the rest are counted in `hiddenArgs`. */
export const MAX_SHOWN_ARGS = 8;
/** Characters shown per argument (escapes such as `\xff` count as their four characters). */
export const MAX_ARG_CHARS = 64;
/** The tooltip's full text is cut here, so 500 entries of binary arguments stay a small answer. */
export const MAX_FULL_TEXT_CHARS = 4_096;

/** Redis's own limits on what one slow log entry keeps (slowlog.c). */
export const REDIS_MAX_LOGGED_ARGS = 32;
export const REDIS_MAX_LOGGED_BYTES = 128;

export interface SlowLogArg {
  /** As displayed (bytes escaped, quoted when empty or holding a space), cut with "…". */
  text: string;
  /** The argument's length as sent, in bytes (Redis reports what it did not keep). */
  bytes: number;
  /** `text` does not show the whole argument. */
  cut: boolean;
}

export interface SlowLogEntry {
  /** The data node that logged it (host:port in a cluster). */
  node: string;
  /** Redis's id for the entry, unique per node. */
  id: number;
  /** When the command ran, unix seconds. */
  timestamp: number;
  durationMicros: number;
  /** The command name and its first arguments, at most MAX_SHOWN_ARGS. */
  args: SlowLogArg[];
  /** Arguments not in `args`: cut by the page or already by Redis. */
  hiddenArgs: number;
  /** Arguments the command was sent with, the command name included. */
  argCount: number;
  /** The command as Redis kept it, for a tooltip. */
  fullText: string;
  /** ip:port of the client; null before Redis 4. */
  clientAddress: string | null;
  /** CLIENT SETNAME of the client; null when unnamed or before Redis 4. */
  clientName: string | null;
}

export interface SlowLogConfig {
  /** slowlog-log-slower-than, µs: -1 logs nothing, 0 logs every command. */
  slowerThanMicros: number | null;
  /** slowlog-max-len: entries kept per node, the oldest dropped first. */
  maxLength: number | null;
}

const MORE_ARGUMENTS = /^\.\.\. \((\d+) more arguments\)$/;
const MORE_BYTES = /\.\.\. \((\d+) more bytes\)$/;

function asBuffer(value: unknown): Buffer | null {
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === "string") return Buffer.from(value, "utf8");
  return null;
}

function asInteger(value: unknown): number | null {
  if (typeof value === "number") return Number.isSafeInteger(value) ? value : null;
  const text = asBuffer(value)?.toString("latin1");
  if (text === undefined || !/^-?\d+$/.test(text)) return null;
  const number = Number(text);
  return Number.isSafeInteger(number) ? number : null;
}

/** A logged argument: the bytes Redis kept and how many more it had (from Redis's own note). */
function splitLoggedArg(raw: Buffer): { kept: Buffer; omittedBytes: number } {
  const note = MORE_BYTES.exec(raw.toString("latin1"));
  // Only Redis's note sits right after exactly 128 kept bytes; anything else is the argument itself.
  if (note && raw.length - note[0].length === REDIS_MAX_LOGGED_BYTES) {
    return { kept: raw.subarray(0, REDIS_MAX_LOGGED_BYTES), omittedBytes: Number(note[1]) };
  }
  return { kept: raw, omittedBytes: 0 };
}

/** Display tokens: one escape (`\xff`, `\n`, `\\` …) or one code point, so a cut never splits either. */
function displayTokens(display: string): string[] {
  const tokens: string[] = [];
  const chars = Array.from(display);
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i]!;
    if (char === "\\" && chars[i + 1] === "x") {
      tokens.push(chars.slice(i, i + 4).join(""));
      i += 3;
    } else if (char === "\\") {
      tokens.push(char + (chars[i + 1] ?? ""));
      i += 1;
    } else {
      tokens.push(char);
    }
  }
  return tokens;
}

function cutDisplay(display: string, max: number): { text: string; cut: boolean } {
  if (display.length <= max) return { text: display, cut: false };
  let text = "";
  for (const token of displayTokens(display)) {
    if (text.length + token.length > max) break;
    text += token;
  }
  return { text, cut: true };
}

function quote(display: string): string {
  return display === "" || /\s/.test(display) ? `"${display}"` : display;
}

function showArg(raw: Buffer): { arg: SlowLogArg; full: string } {
  const { kept, omittedBytes } = splitLoggedArg(raw);
  const display = displayBytes(kept);
  const shown = cutDisplay(display, MAX_ARG_CHARS);
  const cut = shown.cut || omittedBytes > 0;
  return {
    arg: { text: quote(cut ? `${shown.text}…` : shown.text), bytes: kept.length + omittedBytes, cut },
    full: omittedBytes > 0 ? `${quote(`${display}…`)} (+${omittedBytes} bytes)` : quote(display),
  };
}

function cutFullText(text: string): string {
  if (text.length <= MAX_FULL_TEXT_CHARS) return text;
  return `${cutDisplay(text, MAX_FULL_TEXT_CHARS - 1).text}…`;
}

/** One entry of SLOWLOG GET: [id, timestamp, duration, args, client addr?, client name?]. */
export function parseSlowLogEntry(raw: unknown, node: string): SlowLogEntry | null {
  if (!Array.isArray(raw) || raw.length < 4 || !Array.isArray(raw[3])) return null;
  const id = asInteger(raw[0]);
  const timestamp = asInteger(raw[1]);
  const durationMicros = asInteger(raw[2]);
  if (id === null || timestamp === null || durationMicros === null) return null;
  const logged = (raw[3] as unknown[]).map(asBuffer).filter((arg): arg is Buffer => arg !== null);

  // Past 32 arguments Redis keeps 31 and writes how many it left out in the 32nd.
  let omittedArgs = 0;
  const last = logged[logged.length - 1];
  const moreArgs = last && logged.length === REDIS_MAX_LOGGED_ARGS && MORE_ARGUMENTS.exec(last.toString());
  if (moreArgs) {
    omittedArgs = Number(moreArgs[1]);
    logged.pop();
  }

  const shown = logged.map(showArg);
  const fullText = [
    ...shown.map(({ full }) => full),
    ...(omittedArgs > 0 ? [`… (+${omittedArgs} more arguments)`] : []),
  ].join(" ");
  const clientAddress = asBuffer(raw[4])?.toString("utf8") || null;
  const clientName = raw[5] === undefined ? null : displayBytes(asBuffer(raw[5]) ?? "") || null;
  return {
    node,
    id,
    timestamp,
    durationMicros,
    args: shown.slice(0, MAX_SHOWN_ARGS).map(({ arg }) => arg),
    hiddenArgs: Math.max(0, shown.length - MAX_SHOWN_ARGS) + omittedArgs,
    argCount: logged.length + omittedArgs,
    fullText: cutFullText(fullText),
    clientAddress,
    clientName,
  };
}

/** SLOWLOG GET's reply for one node, newest first as Redis gives it; malformed entries are skipped. */
export function parseSlowLog(reply: unknown, node: string): SlowLogEntry[] {
  if (!Array.isArray(reply)) return [];
  return reply.map((raw) => parseSlowLogEntry(raw, node)).filter((entry) => entry !== null);
}

/** Every node's entries in one list, newest first, at most `limit`. */
export function mergeNewestFirst(perNode: SlowLogEntry[][], limit: number): SlowLogEntry[] {
  return perNode
    .flat()
    .sort((a, b) => b.timestamp - a.timestamp || a.node.localeCompare(b.node) || b.id - a.id)
    .slice(0, Math.max(0, limit));
}

/** CONFIG GET slowlog-*'s flat [name, value, …] reply. */
export function parseSlowLogConfig(reply: unknown): SlowLogConfig {
  const values = new Map<string, string>();
  if (Array.isArray(reply)) {
    for (let i = 0; i + 1 < reply.length; i += 2) {
      const name = asBuffer(reply[i])?.toString("utf8");
      const value = asBuffer(reply[i + 1])?.toString("utf8");
      if (name !== undefined && value !== undefined) values.set(name.toLowerCase(), value);
    }
  }
  return {
    slowerThanMicros: asInteger(values.get("slowlog-log-slower-than")),
    maxLength: asInteger(values.get("slowlog-max-len")),
  };
}
