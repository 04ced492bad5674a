import "server-only";
import { consoleStateTest } from "@/lib/console-state";
import { describeKeys, type KeyRow } from "@/lib/keys/metadata";
import type { ErrorBody } from "@/lib/errors";
import type { RedisClient } from "@/lib/redis/client";
import { toAppError } from "@/lib/redis/errors";
import { withClient } from "@/lib/redis/gate";
import { escapeGlobBytes, typedBytes, typedGlob } from "@/lib/redis/keys";
import { databaseSize } from "@/lib/redis/scan";
import { scanBatches } from "@/lib/redis/scan-stream";
import { MAX_LIST_LIMIT, type KeyType } from "@/lib/validation/keys";

// The keys browser's "continue" as one streamed read: SCAN COUNT 1000 to the end of the keyspace
// or of a budget (time, keys examined, rows found), each batch's TYPE, PTTL and MEMORY USAGE in
// scripts of at most MAX_LIST_LIMIT keys. Redis always has the next step queued: the next SCAN is
// sent when a batch arrives (lib/redis/scan-stream) and a batch's metadata is asked for before the
// previous batch's rows are handed on, so building and sending rows overlaps Redis's work.

export interface KeyStreamOptions {
  /** A glob as typed (see typedGlob); "" or omitted: every key. */
  pattern?: string;
  /** A literal prefix, typed as displayed. */
  prefix?: string;
  type?: KeyType;
  /** Where a previous page or stream stopped; omitted or "" to start. */
  cursor?: string;
  includeConsoleState?: boolean;
  /** Stop once this many rows were found (the batch that reaches it is sent whole). */
  limit?: number;
  /** Stop after about this long, in milliseconds. */
  budgetMs?: number;
  /** Stop once about this many keys were examined. */
  budgetKeys?: number;
  signal?: AbortSignal;
}

export interface KeyStreamChunk {
  /** Rows of one SCAN batch, in SCAN order (the console's own keys only when asked for). */
  rows: KeyRow[];
  /** Continue from here; "" when every node was scanned to its end. */
  cursor: string;
  /** Keys examined for this chunk, approximately. */
  examined: number;
}

const STAR = Buffer.from("*");

function matchOf(options: KeyStreamOptions): Buffer {
  const prefix = typedBytes(options.prefix ?? "");
  return Buffer.concat([escapeGlobBytes(prefix), options.pattern ? typedGlob(options.pattern) : STAR]);
}

/** Metadata of a batch in scripts of at most MAX_LIST_LIMIT keys, so no one script holds Redis long. */
async function describeInSlices(client: RedisClient, keys: Buffer[]): Promise<KeyRow[]> {
  const slices: Promise<KeyRow[]>[] = [];
  for (let from = 0; from < keys.length; from += MAX_LIST_LIMIT) {
    slices.push(describeKeys(client, keys.slice(from, from + MAX_LIST_LIMIT)));
  }
  return (await Promise.all(slices)).flat();
}

interface Pending {
  rows: Promise<KeyRow[]>;
  cursor: string;
  examined: number;
}

/**
 * The rows of every key the options match, batch by batch, until the keyspace or a budget ends:
 * the last chunk's cursor says which. SCAN may return a key twice; the reader keeps each once.
 */
export async function* streamKeyRows(
  client: RedisClient,
  options: KeyStreamOptions,
): AsyncGenerator<KeyStreamChunk> {
  const started = performance.now();
  const isConsoleState = consoleStateTest();
  const visible = (key: Buffer) => Boolean(options.includeConsoleState) || !isConsoleState(key);
  const overBudget = (examined: number, found: number) =>
    (options.limit !== undefined && found >= options.limit) ||
    (options.budgetKeys !== undefined && examined >= options.budgetKeys) ||
    (options.budgetMs !== undefined && performance.now() - started >= options.budgetMs);
  const handOn = async (pending: Pending): Promise<KeyStreamChunk> => ({
    rows: await pending.rows,
    cursor: pending.cursor,
    examined: pending.examined,
  });
  let examined = 0;
  let found = 0;
  let previous: Pending | null = null;
  const batches = scanBatches(client, {
    match: matchOf(options),
    type: options.type,
    cursor: options.cursor,
    signal: options.signal,
  });
  for await (const batch of batches) {
    const keys = batch.keys.filter(visible);
    const rows = describeInSlices(client, keys);
    rows.catch(() => {}); // awaited below, unless the reader stops first
    examined += batch.examined;
    found += keys.length;
    if (previous) yield await handOn(previous);
    previous = { rows, cursor: batch.cursor, examined: batch.examined };
    if (overBudget(examined, found)) break;
  }
  if (previous && !options.signal?.aborted) yield await handOn(previous);
}

/**
 * What GET /api/keys/stream answers, a line each: `start` (DBSIZE, for the progress), a `rows`
 * line per SCAN batch (empty when nothing in it matched: progress still shows), then `end` with the
 * cursor to continue from ("" when the whole keyspace was scanned), or `error`.
 */
export type KeyStreamLine =
  | { kind: "start"; dbSize: number }
  | ({ kind: "rows" } & KeyStreamChunk)
  | { kind: "end"; cursor: string; examined: number }
  | { kind: "error"; error: ErrorBody };

/**
 * Reaches the connection and reads DBSIZE first, so a connection that is unknown or down fails
 * before the answer starts; then the lines, each made when the reader asks for it.
 */
export async function openKeyStream(
  connectionId: string,
  options: KeyStreamOptions,
): Promise<AsyncGenerator<KeyStreamLine, void>> {
  const { client, dbSize, name } = await withClient(connectionId, async (client, connection) => ({
    client,
    dbSize: await databaseSize(client),
    name: connection.name,
  }));
  return (async function* lines(): AsyncGenerator<KeyStreamLine, void> {
    yield { kind: "start", dbSize };
    let cursor = "";
    let examined = 0;
    try {
      for await (const chunk of streamKeyRows(client, options)) {
        cursor = chunk.cursor;
        examined += chunk.examined;
        yield { kind: "rows", ...chunk };
      }
    } catch (error) {
      throw toAppError(error, name);
    }
    // A reader who left is told nothing more.
    if (!options.signal?.aborted) yield { kind: "end", cursor, examined: Math.min(examined, dbSize) };
  })();
}
