import { isIP } from "node:net";

// Which forwarded headers to believe (DESIGN.md contract 8). `X-Forwarded-For`, `-Host`, `-Proto`
// and `Forwarded` are believed only when the request came from a proxy the operator named in
// CONSOLE_TRUSTED_PROXIES: addresses or CIDR ranges (`10.0.0.0/8, 192.168.1.7, ::1`), or a hop count
// (`1`: the peer is a proxy, whatever its address). Default: none, so a client's own headers say
// nothing about it. Pure: the peer hook, the request context and unit tests share it.

export const FORWARDED_HEADERS = [
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-forwarded-port",
  "forwarded",
] as const;

interface Range {
  family: 4 | 6;
  bytes: Buffer;
  bits: number;
}

export type TrustedProxies =
  { kind: "none" } | { kind: "hops"; hops: number } | { kind: "ranges"; ranges: Range[] };

/** `::ffff:127.0.0.1` (an IPv4 client on a dual-stack socket) is `127.0.0.1`. */
export function normalizeAddress(address: string): string {
  const trimmed = address.trim().replace(/^\[(.*)\]$/, "$1");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  return mapped ? mapped[1]! : trimmed;
}

function addressBytes(address: string): { family: 4 | 6; bytes: Buffer } | null {
  const normalized = normalizeAddress(address);
  const family = isIP(normalized);
  if (family === 4) return { family: 4, bytes: Buffer.from(normalized.split(".").map(Number)) };
  if (family !== 6) return null;
  const [head = "", tail = ""] = normalized.includes("::") ? normalized.split("::") : [normalized, ""];
  const groups = (part: string) => (part ? part.split(":") : []);
  let left = groups(head);
  let right = groups(tail);
  // An embedded IPv4 tail (`::1.2.3.4`) is two groups.
  const embed = (list: string[]) => {
    const last = list[list.length - 1];
    if (!last?.includes(".")) return list;
    const [a, b, c, d] = last.split(".").map(Number) as [number, number, number, number];
    return [...list.slice(0, -1), ((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
  };
  if (right.length) right = embed(right);
  else left = embed(left);
  const missing = 8 - left.length - right.length;
  const all = [...left, ...Array<string>(Math.max(0, missing)).fill("0"), ...right];
  const bytes = Buffer.alloc(16);
  all.forEach((group, i) => bytes.writeUInt16BE(parseInt(group, 16) || 0, i * 2));
  return { family: 6, bytes };
}

function parseRange(text: string): Range {
  const [address = "", bitsText] = text.split("/");
  const parsed = addressBytes(address);
  if (!parsed) throw new Error(`CONSOLE_TRUSTED_PROXIES: "${text}" is not an IP address or CIDR range.`);
  const max = parsed.family === 4 ? 32 : 128;
  const bits = bitsText === undefined ? max : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > max) {
    throw new Error(`CONSOLE_TRUSTED_PROXIES: "${text}" has a prefix length outside 0-${max}.`);
  }
  return { ...parsed, bits };
}

/** Reads the setting; a malformed one is an error at start, never a silent "trust nobody". */
export function parseTrustedProxies(value: string | undefined): TrustedProxies {
  const text = value?.trim() ?? "";
  if (!text || text === "none") return { kind: "none" };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    return hops === 0 ? { kind: "none" } : { kind: "hops", hops };
  }
  const ranges = text
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .map(parseRange);
  return { kind: "ranges", ranges };
}

function inRange(address: string, range: Range): boolean {
  const parsed = addressBytes(address);
  if (!parsed || parsed.family !== range.family) return false;
  const whole = Math.floor(range.bits / 8);
  if (parsed.bytes.compare(range.bytes, 0, whole, 0, whole) !== 0) return false;
  const rest = range.bits % 8;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((parsed.bytes[whole]! ^ range.bytes[whole]!) & mask) === 0;
}

/** Whether a proxy at `address` may tell us about the request (the peer, for a hop count). */
export function isTrustedProxy(trusted: TrustedProxies, address: string): boolean {
  if (trusted.kind === "none") return false;
  if (trusted.kind === "hops") return true;
  return trusted.ranges.some((range) => inRange(address, range));
}

/** The addresses an `X-Forwarded-For` (or, lacking one, a `Forwarded`) header lists, client first. */
export function forwardedChain(xForwardedFor: string | null, forwarded: string | null): string[] {
  if (xForwardedFor) {
    return xForwardedFor
      .split(",")
      .map((hop) => normalizeAddress(hop))
      .filter(Boolean);
  }
  if (!forwarded) return [];
  return [...forwarded.matchAll(/for=("?)([^";,]+)\1/gi)].map((match) =>
    normalizeAddress(
      match[2]!.replace(/^\[([^\]]+)\](:\d+)?$/, "$1").replace(/^(\d+\.\d+\.\d+\.\d+):\d+$/, "$1"),
    ),
  );
}

/**
 * The client's address: the peer itself unless it is a trusted proxy; then, walking the
 * forwarded chain from the right, the first address that is not a trusted proxy (with a hop
 * count, the address that many hops before the peer). A chain made only of proxies gives its
 * left-most address.
 */
export function clientAddressFrom(trusted: TrustedProxies, peer: string, chain: string[]): string {
  const hops = [...chain, normalizeAddress(peer)];
  if (trusted.kind === "none") return hops[hops.length - 1]!;
  if (trusted.kind === "hops") return hops[Math.max(0, hops.length - 1 - trusted.hops)]!;
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!isTrustedProxy(trusted, hops[i]!)) return hops[i]!;
  }
  return hops[0]!;
}

/** The host (and port) an Origin names, lower-cased; null for anything that is not a URL. */
export function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return null;
  }
}
