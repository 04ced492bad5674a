import "server-only";
import { consoleStateTest } from "@/lib/console-state";
import { AppError } from "@/lib/errors";
import { describeKeys, type KeyRow } from "@/lib/keys/metadata";
import type { RedisClient } from "@/lib/redis/client";
import { withClient } from "@/lib/redis/gate";
import { displayBytes, escapeGlobBytes, literalOfGlob, typedBytes, typedGlob } from "@/lib/redis/keys";
import { databaseSize, scanKeys } from "@/lib/redis/scan";
import type { KeyType } from "@/lib/validation/keys";

// The keys browser's list and tree: one budgeted SCAN loop per request (never KEYS), then TYPE,
// PTTL and MEMORY USAGE for the rows returned only, in one round trip (DESIGN.md contract 2).

// The pages below carry KeyRows, and the keys pages (components/keys) import the type from here.
export type { KeyRow };

export interface KeyListPage {
  /** What the scan found, in SCAN order. May hold a few more than `limit`: a SCAN reply is never cut. */
  rows: KeyRow[];
  /** Continue from here; "" when every node has been scanned to its end. */
  cursor: string;
  /** Keys examined by this request, approximately; with `dbSize` it tells how far the scan got. */
  examined: number;
  dbSize: number;
  /** When the pattern has no glob characters: the key it names, if it exists (and passes the type filter). */
  exact: KeyRow | null;
  /** The pattern named one key, so it was looked up directly: no scan ran, `rows` is empty. */
  exactLookup: boolean;
}

export interface KeyFolder {
  /** Display text of the folder's whole prefix, delimiter included: pass it back as `prefix`. */
  prefix: string;
  /** Display text between the parent prefix and the delimiter (may be empty: `a::b`). */
  name: string;
  /** Keys under this folder seen by this scan page: a sample, not a total. */
  count: number;
}

export interface KeyTreePage {
  prefix: string;
  delimiter: string;
  folders: KeyFolder[];
  /** Keys directly at this level (no delimiter after the prefix), with their metadata. */
  keys: KeyRow[];
  cursor: string;
  examined: number;
  dbSize: number;
}

const SCAN_COUNT = 1_000;
/** SCAN calls (COUNT 1000 each) per request: about 100,000 keys, ~50 ms of Redis time at most. */
export const SCAN_CALLS_PER_PAGE = 100;
/** Keys one request may examine. */
export const SCAN_BUDGET = SCAN_CALLS_PER_PAGE * SCAN_COUNT;
const MIN_STEP = 10;
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 500;
const STAR = Buffer.from("*");

export function defaultDelimiter(): string {
  return process.env.CONSOLE_KEY_DELIMITER || ":";
}

function clampLimit(limit: number | undefined): number {
  return Math.min(Math.max(Math.trunc(limit ?? DEFAULT_LIMIT), 1), MAX_LIMIT);
}

// ——— the budgeted scan ———

interface BudgetedScan {
  match: Buffer;
  type?: KeyType;
  cursor?: string;
  /** Stop once this many keys the caller counts as hits were found. */
  wanted: number;
  isHit: (key: Buffer) => boolean;
}

/**
 * One SCAN loop within SCAN_BUDGET keys. Each call's COUNT is sized from the hit rate so far (and
 * grows at most 4× a step), so a dense match returns about `wanted` keys in one call, while a
 * sparse one quickly scans 1,000 keys a call.
 */
async function budgetedScan(client: RedisClient, request: BudgetedScan) {
  const keys: Buffer[] = [];
  let cursor = request.cursor ?? "";
  let examined = 0;
  let hits = 0;
  let count = Math.min(Math.max(request.wanted, MIN_STEP), SCAN_COUNT);
  do {
    const step = await scanKeys(client, {
      match: request.match,
      type: request.type,
      cursor,
      limit: request.wanted,
      maxCalls: 1,
      count: Math.min(count, SCAN_BUDGET - examined),
    });
    examined += step.examined;
    cursor = step.cursor;
    for (const key of step.keys) {
      keys.push(key);
      if (request.isHit(key)) hits += 1;
    }
    const estimate = hits > 0 ? Math.ceil(((request.wanted - hits) * examined) / hits) : Infinity;
    count = Math.max(MIN_STEP, Math.min(SCAN_COUNT, count * 4, estimate));
  } while (cursor && hits < request.wanted && examined < SCAN_BUDGET);
  return { keys, cursor, examined };
}

// ——— the list ———

export interface ListKeysOptions {
  /** A glob as typed (see typedGlob); with no glob characters it names one key. */
  pattern?: string;
  /** A literal prefix, typed as displayed; glob characters in it match themselves. */
  prefix?: string;
  type?: KeyType;
  cursor?: string;
  limit?: number;
  includeConsoleState?: boolean;
}

export async function listKeys(connectionId: string, options: ListKeysOptions = {}): Promise<KeyListPage> {
  const limit = clampLimit(options.limit);
  const prefix = typedBytes(options.prefix ?? "");
  const glob = options.pattern ? typedGlob(options.pattern) : STAR;
  const named = options.pattern ? literalOfGlob(glob) : null;
  const isConsoleState = consoleStateTest();
  const visible = (key: Buffer) => Boolean(options.includeConsoleState) || !isConsoleState(key);
  return withClient(connectionId, async (client) => {
    if (named) {
      const key = Buffer.concat([prefix, named]);
      const [dbSize, [row]] = await Promise.all([
        databaseSize(client),
        visible(key) ? describeKeys(client, [key]) : [],
      ]);
      const exact = row && (!options.type || row.type === options.type) ? row : null;
      return { rows: [], cursor: "", examined: 0, dbSize, exact, exactLookup: true };
    }
    const scanAndDescribe = async () => {
      const scan = await budgetedScan(client, {
        match: Buffer.concat([escapeGlobBytes(prefix), glob]),
        type: options.type,
        cursor: options.cursor,
        wanted: limit,
        isHit: visible,
      });
      const keys = options.includeConsoleState ? scan.keys : scan.keys.filter(visible);
      return { ...scan, rows: await describeKeys(client, keys) };
    };
    const [dbSize, page] = await Promise.all([databaseSize(client), scanAndDescribe()]);
    return {
      rows: page.rows,
      cursor: page.cursor,
      examined: Math.min(page.examined, dbSize),
      dbSize,
      exact: null,
      exactLookup: false,
    };
  });
}

// ——— the tree ———

export interface KeyTreeOptions {
  /** The folder to show, typed as displayed ("" for the top). */
  prefix?: string;
  /** Default: CONSOLE_KEY_DELIMITER, else ":". */
  delimiter?: string;
  cursor?: string;
  /** Stop the scan once this many keys directly at this level were found. */
  limit?: number;
  includeConsoleState?: boolean;
}

function groupByFolder(keys: Buffer[], prefix: Buffer, delimiter: Buffer) {
  const folders = new Map<string, { name: Buffer; count: number }>();
  const leaves: Buffer[] = [];
  for (const key of keys) {
    const end = key.indexOf(delimiter, prefix.length);
    if (end === -1) {
      leaves.push(key);
      continue;
    }
    const name = key.subarray(prefix.length, end);
    const id = name.toString("latin1");
    const folder = folders.get(id) ?? { name, count: 0 };
    folder.count += 1;
    folders.set(id, folder);
  }
  const sorted = [...folders.values()].sort((a, b) => Buffer.compare(a.name, b.name));
  return {
    folders: sorted.map(({ name, count }) => ({
      prefix: displayBytes(Buffer.concat([prefix, name, delimiter])),
      name: displayBytes(name),
      count,
    })),
    leaves: leaves.sort(Buffer.compare),
  };
}

/**
 * One level of the key tree, from a budgeted SCAN MATCH `<escaped prefix>*`. Folder counts are the
 * keys seen so far by this page's scan (a sample: the page labels them so); continue with `cursor`.
 */
export async function keyTree(connectionId: string, options: KeyTreeOptions = {}): Promise<KeyTreePage> {
  const prefix = typedBytes(options.prefix ?? "");
  const delimiter = typedBytes(options.delimiter ?? defaultDelimiter());
  if (delimiter.length === 0) throw AppError.of("INVALID", "emptyDelimiter");
  const isConsoleState = consoleStateTest();
  const visible = (key: Buffer) => Boolean(options.includeConsoleState) || !isConsoleState(key);
  const isLeaf = (key: Buffer) => visible(key) && key.indexOf(delimiter, prefix.length) === -1;
  return withClient(connectionId, async (client) => {
    const scanAndDescribe = async () => {
      const scan = await budgetedScan(client, {
        match: Buffer.concat([escapeGlobBytes(prefix), STAR]),
        cursor: options.cursor,
        wanted: clampLimit(options.limit),
        isHit: isLeaf,
      });
      const { folders, leaves } = groupByFolder(scan.keys.filter(visible), prefix, delimiter);
      return { ...scan, folders, keys: await describeKeys(client, leaves) };
    };
    const [dbSize, page] = await Promise.all([databaseSize(client), scanAndDescribe()]);
    return {
      prefix: displayBytes(prefix),
      delimiter: displayBytes(delimiter),
      folders: page.folders,
      keys: page.keys,
      cursor: page.cursor,
      examined: Math.min(page.examined, dbSize),
      dbSize,
    };
  });
}
