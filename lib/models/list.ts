import "server-only";
import { globMatches } from "@/lib/cache/glob-match";
import { consoleStateTest, stateKey } from "@/lib/console-state";
import { AppError } from "@/lib/errors";
import { parameterSets } from "@/lib/models/by-values";
import { lastChanges } from "@/lib/models/history";
import { modelPatterns, narrowPattern, parseModelKey } from "@/lib/models/naming";
import type { RedisClient } from "@/lib/redis/client";
import { withClient, withState } from "@/lib/redis/gate";
import { displayBytes, escapeGlobBytes, toKeyRef, typedBytes } from "@/lib/redis/keys";
import { databaseSize, scanKeys } from "@/lib/redis/scan";

// The models list: hashes matched by the configured patterns (SCAN … TYPE hash, paged with a
// budget), then hashes that look like parameter sets by their values (lib/models/by-values), plus
// hashes people pinned or opened by name. Metadata only for the rows returned.

export interface ModelRow {
  ref: string;
  key: string;
  name: string;
  version: number | null;
  fields: number;
  memoryBytes: number | null;
  /** Seconds to live; null when the hash does not expire. */
  ttlSeconds: number | null;
  lastChange: { at: number; user: string } | null;
  pinned: boolean;
  /** Listed because its values look like parameters, not because a model pattern names it. */
  byValues: boolean;
}

export interface ModelListPage {
  rows: ModelRow[];
  /** Continue from here; "" when every pattern has been scanned to the end. */
  cursor: string;
  /** Keys examined by this request, approximately; with `dbSize` it tells how far the scan got. */
  examined: number;
  dbSize: number;
  patterns: string[];
}

const PAGE_LIMIT = 100;
/** Hashes looked at by their values per request, at most (three commands each, pipelined). */
const VALUE_CANDIDATES_PER_PAGE = 1_000;
/** SCAN calls (COUNT 1000 each) per request: about 100,000 keys, ~50 ms of Redis time at most. */
export const SCAN_CALLS_PER_PAGE = 100;
const MAX_PINNED = 500;

function pinnedKey(connectionId: string): string {
  return stateKey("models", "pinned", connectionId);
}

async function describeRows(
  client: RedisClient,
  connectionId: string,
  keys: Buffer[],
  pinned: Set<string>,
  byValues: Set<string>,
): Promise<ModelRow[]> {
  const [metadata, changes] = await Promise.all([
    Promise.all(
      keys.map((key) => Promise.all([client.hlen(key), client.memory("USAGE", key), client.pttl(key)])),
    ),
    lastChanges(connectionId, keys).catch(() => keys.map(() => null)),
  ]);
  return keys.map((key, i) => {
    const [fields, memory, pttl] = metadata[i]!;
    return {
      ref: toKeyRef(key),
      key: displayBytes(key),
      ...parseModelKey(key),
      fields,
      memoryBytes: memory ?? null,
      ttlSeconds: pttl >= 0 ? Math.ceil(pttl / 1000) : null,
      lastChange: changes[i] ?? null,
      pinned: pinned.has(toKeyRef(key)),
      byValues: byValues.has(toKeyRef(key)),
    };
  });
}

async function pinnedRefs(connectionId: string): Promise<Buffer[]> {
  const [, members] = await withState((state) =>
    state.sscanBuffer(pinnedKey(connectionId), "0", "COUNT", MAX_PINNED),
  );
  return members;
}

/** Pinned hashes matching the search, and the hash named exactly by the search, if any. */
async function leadingKeys(
  client: RedisClient,
  pinnedKeys: Promise<Buffer[]>,
  search: Buffer,
  matchesSearch: (key: Buffer) => boolean,
): Promise<Buffer[]> {
  const candidates = (await pinnedKeys).filter(matchesSearch);
  if (search.length) candidates.push(search);
  const types = await Promise.all(candidates.map((key) => client.type(key)));
  return candidates.filter((_, i) => types[i] === "hash");
}

/**
 * Where a listing goes on: the index of the pattern being scanned, `patterns` for the last phase
 * (every hash, judged by its values), and the scan cursor inside it.
 */
function parseListCursor(cursor: string | undefined, patterns: number): { pattern: number; scan: string } {
  if (!cursor) return { pattern: 0, scan: "" };
  const match = /^(\d+):(\d+-\d+)?$/.exec(cursor);
  if (!match || Number(match[1]) > patterns) {
    throw AppError.of("INVALID", "listCursorMalformed");
  }
  return { pattern: Number(match[1]), scan: match[2] ?? "" };
}

export async function listModels(
  connectionId: string,
  options: { cursor?: string; search?: string } = {},
): Promise<ModelListPage> {
  const patterns = modelPatterns();
  const search = options.search?.trim() ?? "";
  let position = parseListCursor(options.cursor, patterns.length);
  return withClient(connectionId, async (client) => {
    // The search is typed as displayed text (`\xff`, `\"` escapes), so it is compared as bytes.
    const searchBytes = typedBytes(search);
    const matchesSearch = (key: Buffer) => key.includes(searchBytes);
    // Pinned hashes (and an exact name typed in the search) lead the first page; they are looked
    // up while the scan runs.
    const pinnedKeys = pinnedRefs(connectionId).catch(() => [] as Buffer[]);
    const leading = options.cursor
      ? Promise.resolve([])
      : leadingKeys(client, pinnedKeys, searchBytes, matchesSearch).catch(() => [] as Buffer[]);

    const scanned = new Map<string, Buffer>();
    const byValues = new Set<string>();
    // Pinned hashes lead every first page; the value phase does not list them again.
    const pinned = new Set((await pinnedKeys).map((key) => toKeyRef(key)));
    const patternBytes = patterns.map((pattern) => Buffer.from(pattern));
    const isConsoleState = consoleStateTest();
    const phases = patterns.length + 1;
    let examined = 0;
    let cursor = "";
    while (position.pattern < phases && scanned.size < PAGE_LIMIT) {
      const valuePhase = position.pattern === patterns.length;
      const search = escapeGlobBytes(searchBytes);
      const match = valuePhase
        ? narrowPattern("*", search)
        : narrowPattern(patterns[position.pattern]!, search);
      const page = await scanKeys(client, {
        match,
        type: "hash",
        cursor: position.scan,
        limit: valuePhase ? VALUE_CANDIDATES_PER_PAGE : PAGE_LIMIT - scanned.size,
        maxCalls: SCAN_CALLS_PER_PAGE - examined / 1_000,
      });
      examined += page.examined;
      if (valuePhase) {
        // Hashes a pattern already listed, and the console's own, are not judged again.
        const candidates = page.keys.filter(
          (key) =>
            matchesSearch(key) &&
            !isConsoleState(key) &&
            !pinned.has(toKeyRef(key)) &&
            !patternBytes.some((pattern) => globMatches(pattern, key)),
        );
        for (const key of await parameterSets(client, candidates)) {
          scanned.set(toKeyRef(key), key);
          byValues.add(toKeyRef(key));
        }
      } else {
        for (const key of page.keys) if (matchesSearch(key)) scanned.set(toKeyRef(key), key);
      }
      if (page.cursor) {
        cursor = `${position.pattern}:${page.cursor}`;
        break;
      }
      position = { pattern: position.pattern + 1, scan: "" };
      cursor = position.pattern < phases ? `${position.pattern}:` : "";
      if (examined >= SCAN_CALLS_PER_PAGE * 1_000) break;
    }
    const found = new Map<string, Buffer>();
    for (const key of await leading) found.set(toKeyRef(key), key);
    for (const [ref, key] of scanned) found.set(ref, key);
    const [dbSize, rows] = await Promise.all([
      databaseSize(client),
      describeRows(client, connectionId, [...found.values()], pinned, byValues),
    ]);
    return { rows, cursor, examined: Math.min(examined, dbSize), dbSize, patterns };
  });
}

/** Opens a hash by its exact name and pins it to the list; refuses keys that are not hashes. */
export async function pinModel(connectionId: string, key: Buffer): Promise<{ ref: string }> {
  return withClient(connectionId, async (client) => {
    const type = await client.type(key);
    if (type === "none") throw AppError.of("NOT_FOUND", "noSuchKey", { key: displayBytes(key) });
    if (type !== "hash") {
      throw AppError.of("INVALID", "notAHashForModel", { key: displayBytes(key), type });
    }
    await withState((state) => state.sadd(pinnedKey(connectionId), key));
    return { ref: toKeyRef(key) };
  });
}

export async function unpinModel(connectionId: string, key: Buffer): Promise<void> {
  await withState((state) => state.srem(pinnedKey(connectionId), key));
}
