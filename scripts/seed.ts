// npm run seed -- --url redis://127.0.0.1:PORT [--scale 1000000] [--big-model-fields 100000]
// Writes the demo's ML data into the Redis you name; it never guesses a default server.
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import { seed, type SeedSummary } from "./seed-data";

const USAGE = [
  "Usage: npm run seed -- --url redis://127.0.0.1:PORT [--scale N] [--big-model-fields N] [--keep-models]",
  "  --url               Redis to seed (default: $REDIS_URL). Required: nothing is seeded without one.",
  "  --scale N           pad with bulk cache keys until about N keys exist (e.g. 1000000)",
  "  --big-model-fields  fields in model:feature_weights:v1 (default 100000)",
  "  --keep-models       leave model hashes that already exist untouched",
].join("\n");

interface SeedCliOptions {
  url: string;
  scale?: number;
  bigModelFields?: number;
  keepExistingModels: boolean;
}

function parseCount(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw.replaceAll("_", ""));
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`--${name} must be a whole number, got "${raw}"`);
  }
  return value;
}

function parseCli(argv: string[]): SeedCliOptions | null {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: "string" },
      scale: { type: "string" },
      "big-model-fields": { type: "string" },
      "keep-models": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const url = values.url ?? process.env.REDIS_URL;
  if (values.help || !url) return null;
  return {
    url,
    scale: parseCount("scale", values.scale),
    bigModelFields: parseCount("big-model-fields", values["big-model-fields"]),
    keepExistingModels: values["keep-models"] === true,
  };
}

/** A single redrawn line on a terminal; in CI logs, a plain line every few seconds instead. */
function progressReporter(stream: NodeJS.WriteStream): (done: number, total: number) => void {
  const started = Date.now();
  let lastDraw = 0;
  const interval = stream.isTTY ? 100 : 3000;
  return (done, total) => {
    const now = Date.now();
    if (now - lastDraw < interval && done < total) return;
    lastDraw = now;
    const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
    const rate = Math.round(done / Math.max(0.001, (now - started) / 1000));
    const counts = `${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")} writes`;
    const speed = `${rate.toLocaleString("en-US")}/s`;
    if (stream.isTTY) {
      const width = 30;
      const filled = Math.round((percent / 100) * width);
      const bar = "#".repeat(filled) + ".".repeat(width - filled);
      stream.write(`\r[${bar}] ${String(percent).padStart(3)}%  ${counts}  ${speed}   `);
      if (done >= total) stream.write("\n");
    } else {
      stream.write(`seed: ${percent}%  ${counts}  ${speed}\n`);
    }
  };
}

function printSummary(summary: SeedSummary): void {
  const rows: [string, number][] = [
    ["model hashes written", summary.modelHashes],
    ["model hashes kept", summary.modelHashesKept],
    ["big model fields", summary.bigModelFields],
    ["cache keys", summary.cacheKeys],
    ["streams", summary.streams],
    ["stream entries", summary.streamEntries],
    ["pending entries (scorers)", summary.pendingEntries],
    ["padding keys", summary.paddingKeys],
    ["keys in database (DBSIZE)", summary.dbSize],
  ];
  for (const [label, value] of rows) console.log(`  ${label.padEnd(27)} ${value.toLocaleString("en-US")}`);
  console.log(`Seeded in ${(summary.elapsedMs / 1000).toFixed(1)} s.`);
}

async function main(): Promise<number> {
  let options: SeedCliOptions | null;
  try {
    options = parseCli(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    console.error(USAGE);
    return 2;
  }
  if (!options) {
    console.error(USAGE);
    return 2;
  }
  const redis = new Redis(options.url, { protocol: 2, connectionName: "seed", maxRetriesPerRequest: 2 });
  redis.on("error", () => {
    // Connection errors surface through the failing command below; don't print them twice.
  });
  try {
    const summary = await seed(redis, {
      scale: options.scale,
      bigModelFields: options.bigModelFields,
      keepExistingModels: options.keepExistingModels,
      onProgress: progressReporter(process.stdout),
    });
    printSummary(summary);
    return 0;
  } catch (error) {
    console.error(`\nSeeding failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    redis.disconnect();
  }
}

main().then((code) => process.exit(code));
