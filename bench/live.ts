// Live-data benchmarks (issue: live data): the console's SSE endpoint (GET /api/live, batched
// frames, bounded per-tab queue) next to a plain node:http SSE server (bench/plain-sse-server.ts,
// its own process) fanning one ioredis subscriber out to the same number of clients, unbatched.
// Clients are fetch() streams held open in this process; a separate ioredis client publishes.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import Redis from "ioredis";
import type { BatchEvent, HelloEvent } from "@/lib/live/protocol";

export interface LiveBenchContext {
  redisUrl: string;
  /** The console, e.g. http://127.0.0.1:3000. */
  base: string;
  /** A signed-in session cookie for the console. */
  cookie: string;
  /** The standalone server's process (its descendants are counted too). */
  consolePid: number;
}

const CONSOLE_CHANNEL = "bench_channel";
const PLAIN_CHANNEL = "bench_plain";
const CONSOLE_SUBSCRIBER = "redis-ml-console:subscriber";
const PLAIN_SUBSCRIBER = "bench-plain:subscriber";

const CLIENT_COUNTS = [1, 10, 100];
const THROUGHPUT_WARMUP_MS = 1_000;
const THROUGHPUT_MS = 5_000;
const LATENCY_CLIENTS = 10;
const LATENCY_RATE = 1_000;
const LATENCY_TICK_MS = 10;
const LATENCY_WARMUP_MS = 500;
const LATENCY_MS = 5_000;
const OVERLOAD_CLIENTS = 20;
const OVERLOAD_MS = 15_000;
const PLAIN_RSS_CAP = 1024 ** 3;
const PIPELINE = 200;

const LF = 10;
const FRAME_END = Buffer.from("\n\n");
const DATA = Buffer.from("data: ");
const SEQ = Buffer.from('"source":');
const DROPPED = Buffer.from('"dropped":');

/** Epoch milliseconds with sub-millisecond precision; publisher and clients share this clock. */
const now = () => performance.timeOrigin + performance.now();

const PAD = "x".repeat(136);
function payload(id: number): string {
  return JSON.stringify({ id, ts: now(), value: Math.round(Math.sin(id) * 1e6) / 1e6, pad: PAD });
}
const PAYLOAD_BYTES = Buffer.byteLength(payload(123_456));

type Kind = "console" | "plain";

interface Endpoint {
  kind: Kind;
  base: string;
  cookie: string;
}

/** One SSE stream, parsed incrementally from the raw bytes. */
class SseClient {
  delivered = 0;
  dropped = 0;
  private readonly abort = new AbortController();
  private reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  private parts: Buffer[] = [];
  private endsWithNewline = false;
  private liveId: string | null = null;

  /**
   * With `latencies`, every message is parsed and (receive time − publish time) is recorded for
   * ids ≥ `fromId`; without, messages are only counted (a byte scan, no JSON parsing).
   */
  constructor(
    private readonly endpoint: Endpoint,
    private readonly latencies: number[] | null = null,
    private readonly fromId = 0,
  ) {}

  async open(): Promise<void> {
    const { kind, base, cookie } = this.endpoint;
    const url = kind === "console" ? `${base}/api/live` : `${base}/sse`;
    const response = await fetch(url, {
      headers: kind === "console" ? { cookie, accept: "text/event-stream" } : { accept: "text/event-stream" },
      signal: this.abort.signal,
    });
    if (!response.ok || !response.body) throw new Error(`${url} answered ${response.status}`);
    this.reader = response.body.getReader();
    if (kind === "plain") return;
    while (this.liveId === null) {
      if (!(await this.readOnce())) throw new Error("The live stream ended before its hello event");
    }
    const watch = await fetch(`${base}/api/live/watch`, {
      method: "POST",
      headers: { cookie, origin: base, "content-type": "application/json" },
      // One tab on this stream (a browser's stream carries each tab's channel, tagged `tab:`).
      body: JSON.stringify({
        client: this.liveId,
        tab: "bench-tab-0001",
        conn: "default",
        add: [{ kind: "channel", name: CONSOLE_CHANNEL }],
      }),
    });
    const answer = await watch.text();
    if (!watch.ok) throw new Error(`watch answered ${watch.status}: ${answer.slice(0, 200)}`);
  }

  /** Reads until the stream closes; a client that is never told to read stalls its stream. */
  read(): void {
    void (async () => {
      while (await this.readOnce());
    })().catch(() => undefined);
  }

  close(): void {
    this.abort.abort();
  }

  private async readOnce(): Promise<boolean> {
    const { done, value } = await this.reader!.read();
    if (done) return false;
    this.chunk(Buffer.from(value.buffer, value.byteOffset, value.byteLength), now());
    return true;
  }

  private chunk(bytes: Buffer, at: number): void {
    let start = 0;
    // A frame end split across chunks: "…\n" then "\n…".
    if (this.endsWithNewline && bytes[0] === LF && this.parts.length > 0) {
      const joined = Buffer.concat(this.parts);
      this.parts = [];
      this.frame(joined.subarray(0, joined.length - 1), at);
      start = 1;
    }
    for (let end = bytes.indexOf(FRAME_END, start); end !== -1; end = bytes.indexOf(FRAME_END, start)) {
      const piece = bytes.subarray(start, end);
      this.frame(this.parts.length > 0 ? Buffer.concat([...this.parts, piece]) : piece, at);
      this.parts = [];
      start = end + 2;
    }
    if (start < bytes.length) this.parts.push(bytes.subarray(start));
    this.endsWithNewline = bytes[bytes.length - 1] === LF;
  }

  private record(text: string, at: number): void {
    const message = JSON.parse(text) as { id: number; ts: number };
    if (message.id >= this.fromId) this.latencies!.push(at - message.ts);
  }

  private frame(frame: Buffer, at: number): void {
    const dataAt = frame.indexOf(DATA);
    if (dataAt === -1) return; // a comment (heartbeat) or `retry:`
    const data = frame.subarray(dataAt + DATA.length);
    if (this.endpoint.kind === "plain") {
      this.delivered += 1;
      if (this.latencies) this.record(data.toString("utf8"), at);
      return;
    }
    const event = /(?:^|\n)event: ([a-z]+)/.exec(frame.toString("latin1", 0, dataAt))?.[1];
    if (event === "hello") {
      // The stream's own hello comes first; the tab's (after it joins) names the tab.
      this.liveId ??= (JSON.parse(data.toString("utf8")) as HelloEvent).client;
    } else if (event === "batch") {
      if (this.latencies) {
        const batch = JSON.parse(data.toString("utf8")) as BatchEvent;
        this.delivered += batch.messages.length;
        this.dropped += batch.dropped;
        for (const message of batch.messages) this.record(message.payload.text, at);
        return;
      }
      // Each message object has one `"source":` key; inside payload text every quote is escaped.
      for (let i = data.indexOf(SEQ); i !== -1; i = data.indexOf(SEQ, i + SEQ.length)) this.delivered += 1;
      const droppedAt = data.lastIndexOf(DROPPED);
      if (droppedAt !== -1) {
        this.dropped += Number.parseInt(data.toString("latin1", droppedAt + DROPPED.length), 10) || 0;
      }
    }
  }
}

async function openClients(
  count: number,
  endpoint: Endpoint,
  latencies: number[] | null = null,
  fromId = 0,
): Promise<SseClient[]> {
  const clients: SseClient[] = [];
  try {
    for (let i = 0; i < count; i += 20) {
      const group = Array.from(
        { length: Math.min(20, count - i) },
        () => new SseClient(endpoint, latencies, fromId),
      );
      clients.push(...group);
      await Promise.all(group.map((client) => client.open()));
    }
  } catch (error) {
    for (const client of clients) client.close();
    throw error;
  }
  return clients;
}

function closeAll(clients: SseClient[]): void {
  for (const client of clients) client.close();
}

function sum(clients: SseClient[], field: "delivered" | "dropped"): number {
  return clients.reduce((total, client) => total + client[field], 0);
}

// ---- Process and Redis observations -------------------------------------------------------------

function rssOf(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** RSS of a process and its descendants (the console may sit behind a wrapper). */
function treeRss(pid: number): number {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    // no such process, or no children file
  }
  return rssOf(pid) + children.reduce((total, child) => total + treeRss(child), 0);
}

interface ClientInfo {
  id: string;
  name: string;
  omem: number;
}

async function clientList(admin: Redis): Promise<ClientInfo[]> {
  const text = String(await admin.call("CLIENT", "LIST"));
  return text
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => {
      const fields = new Map(
        line
          .trim()
          .split(" ")
          .map((pair) => {
            const at = pair.indexOf("=");
            return [pair.slice(0, at), pair.slice(at + 1)] as const;
          }),
      );
      return {
        id: fields.get("id") ?? "",
        name: fields.get("name") ?? "",
        omem: Number(fields.get("omem") ?? 0),
      };
    });
}

async function subscribers(admin: Redis, name: string): Promise<ClientInfo[]> {
  return (await clientList(admin)).filter((client) => client.name === name);
}

// ---- The plain server ---------------------------------------------------------------------------

interface PlainServer {
  base: string;
  process: ChildProcess;
  stop: () => Promise<void>;
}

async function startPlainServer(redisUrl: string): Promise<PlainServer> {
  const child = spawn(process.execPath, ["--import", "tsx", path.resolve("bench/plain-sse-server.ts")], {
    env: { ...process.env, BENCH_REDIS_URL: redisUrl, BENCH_CHANNEL: PLAIN_CHANNEL },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 2_000);
    await exited;
    clearTimeout(timer);
  };
  const lines = createInterface({ input: child.stdout! });
  const port = await Promise.race([
    new Promise<string>((resolve) => lines.once("line", resolve)),
    exited.then(() => {
      throw new Error("The plain SSE server exited while starting");
    }),
    sleep(20_000).then(() => {
      throw new Error("The plain SSE server did not start");
    }),
  ]).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { base: `http://127.0.0.1:${port.trim()}`, process: child, stop };
}

async function plainStats(base: string): Promise<{ rss: number; received: number } | null> {
  try {
    const response = await fetch(`${base}/rss`, { signal: AbortSignal.timeout(5_000) });
    return (await response.json()) as { rss: number; received: number };
  } catch {
    return null;
  }
}

// ---- The runs -----------------------------------------------------------------------------------

interface ThroughputRun {
  rate: number;
  dropped: number;
  publishRate: number;
  /** Messages published but not yet delivered (or dropped) to the slowest client at the end. */
  backlog: number;
  subscriberConnections: number | null;
}

/**
 * Publishes as fast as pipelined PUBLISH goes, but never more than `lead` messages ahead of the
 * slowest client's progress (delivered + dropped): the rate clients get is then what the server
 * sustains, and Redis output buffers stay small. Delivered messages/s summed over clients, measured
 * after a warm-up.
 */
async function throughput(
  endpoint: Endpoint,
  count: number,
  publisher: Redis,
  admin: Redis,
): Promise<ThroughputRun> {
  const clients = await openClients(count, endpoint);
  const channel = endpoint.kind === "console" ? CONSOLE_CHANNEL : PLAIN_CHANNEL;
  const lead = Math.max(5_000, 50_000 / count);
  let subscriberCheck: Promise<number> | null = null;
  try {
    for (const client of clients) client.read();
    let published = 0;
    const warm = now() + THROUGHPUT_WARMUP_MS;
    const end = warm + THROUGHPUT_MS;
    let from: { at: number; delivered: number; dropped: number; published: number } | null = null;
    while (now() < end) {
      if (!from && now() >= warm) {
        from = {
          at: now(),
          delivered: sum(clients, "delivered"),
          dropped: sum(clients, "dropped"),
          published,
        };
      }
      if (from && !subscriberCheck && now() >= warm + THROUGHPUT_MS / 2 && endpoint.kind === "console") {
        subscriberCheck = subscribers(admin, CONSOLE_SUBSCRIBER).then((found) => found.length);
      }
      let progress = Infinity;
      for (const client of clients) progress = Math.min(progress, client.delivered + client.dropped);
      if (published - progress >= lead) {
        await sleep(1);
        continue;
      }
      const pipeline = publisher.pipeline();
      for (let i = 0; i < PIPELINE; i++) pipeline.publish(channel, payload(published++));
      await pipeline.exec();
    }
    const seconds = (now() - from!.at) / 1000;
    let progress = Infinity;
    for (const client of clients) progress = Math.min(progress, client.delivered + client.dropped);
    return {
      backlog: published - progress,
      rate: (sum(clients, "delivered") - from!.delivered) / seconds,
      dropped: sum(clients, "dropped") - from!.dropped,
      publishRate: (published - from!.published) / seconds,
      subscriberConnections: subscriberCheck ? await subscriberCheck : null,
    };
  } finally {
    closeAll(clients);
    await sleep(500);
  }
}

interface LatencyRun {
  p50: number;
  p99: number;
  samples: number;
  expected: number;
  dropped: number;
}

function percentile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/** Publishes at LATENCY_RATE msg/s in 10 ms ticks; latency = receive time − publish time. */
async function latency(endpoint: Endpoint, publisher: Redis): Promise<LatencyRun> {
  const samples: number[] = [];
  const perTick = (LATENCY_RATE * LATENCY_TICK_MS) / 1000;
  const fromId = (LATENCY_RATE * LATENCY_WARMUP_MS) / 1000;
  const clients = await openClients(LATENCY_CLIENTS, endpoint, samples, fromId);
  const channel = endpoint.kind === "console" ? CONSOLE_CHANNEL : PLAIN_CHANNEL;
  try {
    for (const client of clients) client.read();
    const ticks = (LATENCY_WARMUP_MS + LATENCY_MS) / LATENCY_TICK_MS;
    const started = now();
    let id = 0;
    for (let tick = 0; tick < ticks; tick++) {
      const wait = started + tick * LATENCY_TICK_MS - now();
      if (wait > 0) await sleep(wait);
      const pipeline = publisher.pipeline();
      for (let i = 0; i < perTick; i++) pipeline.publish(channel, payload(id++));
      await pipeline.exec();
    }
    await sleep(1_000);
    const sorted = Float64Array.from(samples).sort();
    return {
      p50: percentile(sorted, 0.5),
      p99: percentile(sorted, 0.99),
      samples: sorted.length,
      expected: (id - fromId) * LATENCY_CLIENTS,
      dropped: sum(clients, "dropped"),
    };
  } finally {
    closeAll(clients);
    await sleep(500);
  }
}

interface OverloadRun {
  seconds: number;
  published: number;
  maxRss: number;
  startRss: number;
  maxOutputBuffer: number;
  /** Seconds into the run when the subscriber connection was gone or had a new id; null if never. */
  cutOffAt: number | null;
  subscriberConnections: number;
  stoppedEarly: boolean;
}

/**
 * OVERLOAD_CLIENTS clients open their stream (and watch) and then never read, while a publisher goes
 * flat out; RSS and the subscriber connection are sampled every 500 ms.
 */
async function overload(
  endpoint: Endpoint,
  pid: number,
  publisher: Redis,
  admin: Redis,
  rssCap: number | null,
): Promise<OverloadRun> {
  const name = endpoint.kind === "console" ? CONSOLE_SUBSCRIBER : PLAIN_SUBSCRIBER;
  const channel = endpoint.kind === "console" ? CONSOLE_CHANNEL : PLAIN_CHANNEL;
  const clients = await openClients(OVERLOAD_CLIENTS, endpoint);
  try {
    const before = await subscribers(admin, name);
    if (before.length !== 1) throw new Error(`expected one ${name} connection, found ${before.length}`);
    const id = before[0]!.id;
    const startRss = treeRss(pid);
    let stop = false;
    let published = 0;
    const publishing = (async () => {
      while (!stop) {
        const pipeline = publisher.pipeline();
        for (let i = 0; i < PIPELINE; i++) pipeline.publish(channel, payload(published++));
        await pipeline.exec();
      }
    })();
    const started = now();
    let maxRss = startRss;
    let maxOutputBuffer = 0;
    let cutOffAt: number | null = null;
    let subscriberConnections = 1;
    let stoppedEarly = false;
    try {
      while (now() - started < OVERLOAD_MS) {
        await sleep(500);
        const rss = treeRss(pid);
        maxRss = Math.max(maxRss, rss);
        const found = await subscribers(admin, name);
        subscriberConnections = Math.max(subscriberConnections, found.length);
        const same = found.find((client) => client.id === id);
        if (same) maxOutputBuffer = Math.max(maxOutputBuffer, same.omem);
        else cutOffAt ??= (now() - started) / 1000;
        if (rssCap !== null && rss > rssCap) {
          stoppedEarly = true;
          break;
        }
      }
    } finally {
      stop = true;
      await publishing;
    }
    const seconds = (now() - started) / 1000;
    const after = await subscribers(admin, name);
    if (!after.some((client) => client.id === id)) cutOffAt ??= seconds;
    return {
      seconds,
      published,
      maxRss,
      startRss,
      maxOutputBuffer,
      cutOffAt,
      subscriberConnections,
      stoppedEarly,
    };
  } finally {
    closeAll(clients);
    await sleep(1_000);
  }
}

// ---- Report -------------------------------------------------------------------------------------

const perSecond = (value: number) => `${Math.round(value).toLocaleString("en-US")} msg/s`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
const msText = (value: number) => `${value.toFixed(1)} ms`;
const yes = (ok: boolean) => (ok ? "yes" : "**no**");

export async function liveBenchmarks(ctx: LiveBenchContext): Promise<string> {
  const publisher = new Redis(ctx.redisUrl, { protocol: 2, connectionName: "bench:publisher" });
  const admin = new Redis(ctx.redisUrl, { protocol: 2, connectionName: "bench:admin" });
  const plain = await startPlainServer(ctx.redisUrl);
  const consoleEndpoint: Endpoint = { kind: "console", base: ctx.base, cookie: ctx.cookie };
  const plainEndpoint: Endpoint = { kind: "plain", base: plain.base, cookie: "" };
  const lines: string[] = [];
  const started = now();
  const consoleRss: string[] = [`at start ${mb(treeRss(ctx.consolePid))}`];
  const noteRss = (label: string) => consoleRss.push(`${label} ${mb(treeRss(ctx.consolePid))}`);
  try {
    const limit = (await admin.config("GET", "client-output-buffer-limit")) as string[];
    const pubsubLimit = /pubsub (\S+ \S+ \S+)/.exec(limit[1] ?? "")?.[1] ?? "unknown";
    const rows: string[] = [];

    // Warm both paths (JIT, route modules) before measuring.
    await throughputWarmup(consoleEndpoint, publisher);
    await throughputWarmup(plainEndpoint, publisher);

    const connections: string[] = [];
    for (const count of CLIENT_COUNTS) {
      const consoleRun = await throughput(consoleEndpoint, count, publisher, admin);
      noteRss(`after ${count} client${count === 1 ? "" : "s"}`);
      const plainRun = await throughput(plainEndpoint, count, publisher, admin);
      const ratio = consoleRun.rate / plainRun.rate;
      connections.push(
        `${count} client${count === 1 ? "" : "s"}: ${consoleRun.subscriberConnections ?? "?"}`,
      );
      rows.push(
        `| Sustained delivered messages/s, ${count} client${count === 1 ? "" : "s"} | ${perSecond(plainRun.rate)} | ${perSecond(consoleRun.rate)} (dropped ${consoleRun.dropped.toLocaleString("en-US")}) | ${ratio.toFixed(2)}× | ≥ 0.7× | ${yes(ratio >= 0.7)} |`,
      );
      lines.push(
        `- ${count} client${count === 1 ? "" : "s"}: published ${perSecond(plainRun.publishRate)} during the plain run, ${perSecond(consoleRun.publishRate)} during the console run; still in flight to the slowest client at the end: ${plainRun.backlog.toLocaleString("en-US")} (plain), ${consoleRun.backlog.toLocaleString("en-US")} (console).`,
      );
    }

    const consoleLatency = await latency(consoleEndpoint, publisher);
    noteRss("after latency");
    const plainLatency = await latency(plainEndpoint, publisher);
    rows.push(
      `| Latency p50, ${LATENCY_RATE.toLocaleString("en-US")} msg/s to ${LATENCY_CLIENTS} clients | ${msText(plainLatency.p50)} | ${msText(consoleLatency.p50)} | — | < 60 ms | ${yes(consoleLatency.p50 < 60)} |`,
      `| Latency p99, ${LATENCY_RATE.toLocaleString("en-US")} msg/s to ${LATENCY_CLIENTS} clients | ${msText(plainLatency.p99)} | ${msText(consoleLatency.p99)} | — | < 150 ms | ${yes(consoleLatency.p99 < 150)} |`,
    );

    const consoleOverload = await overload(consoleEndpoint, ctx.consolePid, publisher, admin, null);
    noteRss("after overload");
    connections.push(`${OVERLOAD_CLIENTS} stalled clients: ${consoleOverload.subscriberConnections}`);
    const plainBefore = await plainStats(plain.base);
    const plainOverload = await overload(plainEndpoint, plain.process.pid!, publisher, admin, PLAIN_RSS_CAP);
    // What the plain subscriber received, once its backlog is drained (the count stops moving).
    let plainAfter = await plainStats(plain.base);
    for (let i = 0; i < 10 && plainAfter; i++) {
      await sleep(500);
      const next = await plainStats(plain.base);
      if (!next || next.received === plainAfter.received) break;
      plainAfter = next;
    }

    const subscriberCounts = connections.map((c) => Number(c.split(": ")[1]));
    rows.push(
      `| Redis subscriber connections per process | 1 | ${connections.join("; ")} | — | exactly 1 | ${yes(subscriberCounts.every((n) => n === 1))} |`,
      `| Overload: max RSS, ${OVERLOAD_CLIENTS} stalled clients, publisher flat out | ${mb(plainOverload.maxRss)}${plainOverload.stoppedEarly ? ` (stopped at ${plainOverload.seconds.toFixed(0)} s: over ${mb(PLAIN_RSS_CAP)})` : ""} | ${mb(consoleOverload.maxRss)} | — | < 300 MB | ${yes(consoleOverload.maxRss < 300e6)} |`,
      `| Overload: subscriber cut off by Redis (client-output-buffer-limit pubsub) | ${cutOff(plainOverload)} | ${cutOff(consoleOverload)} | — | never | ${yes(consoleOverload.cutOffAt === null)} |`,
    );

    const plainReceived = plainBefore && plainAfter ? plainAfter.received - plainBefore.received : null;
    const lost =
      plainReceived === null
        ? ""
        : ` Its subscriber received ${plainReceived.toLocaleString("en-US")} of the ${plainOverload.published.toLocaleString("en-US")} published: ${(plainOverload.published - plainReceived).toLocaleString("en-US")} lost.`;
    return [
      `### Live data: SSE fan-out, console vs a plain node:http SSE server`,
      "",
      `Payload ≈${PAYLOAD_BYTES}-byte JSON; Redis \`client-output-buffer-limit pubsub ${pubsubLimit}\`. The plain server (bench/plain-sse-server.ts, its own process) writes every message to every client at once; the console batches every ~50 ms with a bounded queue per tab. Clients are fetch() streams in the bench process.`,
      "",
      "| live benchmark | plain SSE server | console | ratio | target | met? |",
      "| --- | --- | --- | --- | --- | --- |",
      ...rows,
      "",
      `- Throughput: pipelined PUBLISH as fast as it goes, held at most max(5,000, 50,000 / clients) messages ahead of the slowest client (delivered + dropped), so the server always has a backlog and the measured rate is what it sustains; delivered messages summed over clients for ${THROUGHPUT_MS / 1000} s after a ${THROUGHPUT_WARMUP_MS / 1000} s warm-up. Per run:`,
      ...lines.map((line) => `  ${line}`),
      `- Latency: ${LATENCY_RATE.toLocaleString("en-US")} msg/s in ${LATENCY_TICK_MS} ms ticks for ${LATENCY_MS / 1000} s (after ${LATENCY_WARMUP_MS} ms warm-up); receive time − publish time, same clock. Console ${consoleLatency.samples.toLocaleString("en-US")} of ${consoleLatency.expected.toLocaleString("en-US")} deliveries (dropped ${consoleLatency.dropped}); plain ${plainLatency.samples.toLocaleString("en-US")} of ${plainLatency.expected.toLocaleString("en-US")}.`,
      `- Subscriber connections: \`CLIENT LIST\` entries named \`${CONSOLE_SUBSCRIBER}\`, midway through each console run.`,
      `- Overload: console RSS ${mb(consoleOverload.startRss)} before, max ${mb(consoleOverload.maxRss)} over ${consoleOverload.seconds.toFixed(0)} s with ${consoleOverload.published.toLocaleString("en-US")} messages published (${perSecond(consoleOverload.published / consoleOverload.seconds)}); its subscriber's Redis output buffer peaked at ${mb(consoleOverload.maxOutputBuffer)}. Plain server: ${plainOverload.published.toLocaleString("en-US")} published in ${plainOverload.seconds.toFixed(0)} s, RSS max ${mb(plainOverload.maxRss)}, output buffer peak ${mb(plainOverload.maxOutputBuffer)}.${lost} RSS is /proc VmRSS of the process and its children, sampled every 500 ms; "cut off" means the subscriber's CLIENT LIST id disappeared.`,
      `- Console RSS between runs: ${consoleRss.join("; ")}.`,
      `- The live benchmarks took ${((now() - started) / 1000).toFixed(0)} s.`,
    ].join("\n");
  } finally {
    await plain.stop();
    publisher.disconnect();
    admin.disconnect();
  }
}

function cutOff(run: OverloadRun): string {
  return run.cutOffAt === null ? "no" : `cut off by Redis after ${run.cutOffAt.toFixed(1)} s`;
}

/** A short burst through a few clients, so the first measured run does not pay for warm-up. */
async function throughputWarmup(endpoint: Endpoint, publisher: Redis): Promise<void> {
  const clients = await openClients(2, endpoint);
  try {
    for (const client of clients) client.read();
    const channel = endpoint.kind === "console" ? CONSOLE_CHANNEL : PLAIN_CHANNEL;
    const until = now() + 1_000;
    let id = 0;
    while (now() < until) {
      const pipeline = publisher.pipeline();
      for (let i = 0; i < PIPELINE; i++) pipeline.publish(channel, payload(id++));
      await pipeline.exec();
      await sleep(5);
    }
  } finally {
    closeAll(clients);
    await sleep(300);
  }
}
