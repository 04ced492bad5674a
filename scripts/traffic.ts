// npm run traffic -- --url redis://127.0.0.1:PORT [--rate N]
// Runs the traffic simulator against the Redis you name until Ctrl-C.
import { parseArgs } from "node:util";
import { startTraffic, type TrafficStats } from "./traffic-sim";

const USAGE = [
  "Usage: npm run traffic -- --url redis://127.0.0.1:PORT [--rate N]",
  "  --url    Redis to drive (default: $REDIS_URL). Required: no traffic without one.",
  "  --rate   cache lookups per second (default 50)",
].join("\n");

const STATUS_EVERY_MS = 5000;

function parseCli(argv: string[]): { url: string; rate?: number } | null {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: "string" },
      rate: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const url = values.url ?? process.env.REDIS_URL;
  if (values.help || !url) return null;
  if (values.rate === undefined) return { url };
  const rate = Number(values.rate);
  if (!Number.isFinite(rate) || rate <= 0) {
    throw new Error(`--rate must be a positive number, got "${values.rate}"`);
  }
  return { url, rate };
}

function statusLine(stats: TrafficStats): string {
  const hitRate = stats.hitRate === null ? "–" : `${(stats.hitRate * 100).toFixed(1)}%`;
  return [
    `${Math.round(stats.uptimeMs / 1000)}s`,
    `cache ${stats.cacheLookups} ops (${stats.cacheHits} hits / ${stats.cacheMisses} misses, ${hitRate})`,
    `pub/sub ${stats.published} published, ${stats.processed} processed`,
    `stream +${stats.streamAdded} / ack ${stats.streamAcked}`,
    `params ${stats.paramUpdates}`,
    stats.errors > 0 ? `errors ${stats.errors}` : "",
  ]
    .filter(Boolean)
    .join(" · ");
}

function main(): void {
  let options: { url: string; rate?: number } | null;
  try {
    options = parseCli(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    options = null;
  }
  if (!options) {
    console.error(USAGE);
    process.exit(2);
  }
  const traffic = startTraffic(options.url, { rate: options.rate, log: (line) => console.log(line) });
  console.log(`Traffic running at ${options.rate ?? 50} lookups/s. Ctrl-C to stop.`);
  const status = setInterval(() => console.log(statusLine(traffic.stats())), STATUS_EVERY_MS);

  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    clearInterval(status);
    void traffic.stop().then(() => {
      console.log(`Stopped. ${statusLine(traffic.stats())}`);
      process.exit(0);
    });
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

main();
