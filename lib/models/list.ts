import "server-only";
import { AppError } from "@/lib/errors";
import { stateClient, stateKey } from "@/lib/console-state";
import { lastChanges } from "@/lib/models/history";
import { modelPatterns, narrowPattern, parseModelKey } from "@/lib/models/naming";
import { toAppError } from "@/lib/redis/errors";
import { displayBytes, escapeGlobBytes, parseDisplayedBytes, toKeyRef } from "@/lib/redis/keys";
import { findConnection, readyClient, type RedisClient } from "@/lib/redis/registry";
import { databaseSize, scanKeys } from "@/lib/redis/scan";

// The models list: hashes matched by the configured patterns (SCAN … TYPE hash, paged with a
// budget), plus hashes people pinned or opened by name. Metadata only for the rows returned.

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
    };
  });
}

async function pinnedRefs(connectionId: string): Promise<Buffer[]> {
  const state = await stateClient();
  const [, members] = await state.sscanBuffer(pinnedKey(connectionId), "0", "COUNT", MAX_PINNED);
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

function parseListCursor(cursor: string | undefined, patterns: number): { pattern: number; scan: string } {
  if (!cursor) return { pattern: 0, scan: "" };
  const match = /^(\d+):(\d+-\d+)?$/.exec(cursor);
  if (!match || Number(match[1]) >= patterns) {
    throw new AppError("INVALID", "That list cursor is malformed; start from the first page.");
  }
  return { pattern: Number(match[1]), scan: match[2] ?? "" };
}

export async function listModels(
  connectionId: string,
  options: { cursor?: string; search?: string } = {},
): Promise<ModelListPage> {
  const config = findConnection(connectionId);
  const patterns = modelPatterns();
  const search = options.search?.trim() ?? "";
  let position = parseListCursor(options.cursor, patterns.length);
  try {
    const client = await readyClient(connectionId);
    // The search is typed as displayed text (`\xff`, `\"` escapes), so it is compared as bytes.
    const searchBytes = search
      ? (parseDisplayedBytes(search) ?? Buffer.from(search, "utf8"))
      : Buffer.alloc(0);
    const matchesSearch = (key: Buffer) => key.includes(searchBytes);
    // Pinned hashes (and an exact name typed in the search) lead the first page; they are looked
    // up while the scan runs.
    const pinnedKeys = pinnedRefs(connectionId).catch(() => [] as Buffer[]);
    const leading = options.cursor
      ? Promise.resolve([])
      : leadingKeys(client, pinnedKeys, searchBytes, matchesSearch).catch(() => [] as Buffer[]);

    const scanned = new Map<string, Buffer>();
    let examined = 0;
    let cursor = "";
    while (position.pattern < patterns.length && scanned.size < PAGE_LIMIT) {
      const match = narrowPattern(patterns[position.pattern]!, escapeGlobBytes(searchBytes));
      const page = await scanKeys(client, {
        match,
        type: "hash",
        cursor: position.scan,
        limit: PAGE_LIMIT - scanned.size,
        maxCalls: SCAN_CALLS_PER_PAGE - examined / 1_000,
      });
      examined += page.examined;
      for (const key of page.keys) if (matchesSearch(key)) scanned.set(toKeyRef(key), key);
      if (page.cursor) {
        cursor = `${position.pattern}:${page.cursor}`;
        break;
      }
      position = { pattern: position.pattern + 1, scan: "" };
      cursor = position.pattern < patterns.length ? `${position.pattern}:` : "";
      if (examined >= SCAN_CALLS_PER_PAGE * 1_000) break;
    }
    const found = new Map<string, Buffer>();
    for (const key of await leading) found.set(toKeyRef(key), key);
    for (const [ref, key] of scanned) found.set(ref, key);
    const pinned = new Set((await pinnedKeys).map((key) => toKeyRef(key)));
    const [dbSize, rows] = await Promise.all([
      databaseSize(client),
      describeRows(client, connectionId, [...found.values()], pinned),
    ]);
    return { rows, cursor, examined: Math.min(examined, dbSize), dbSize, patterns };
  } catch (error) {
    throw toAppError(error, config.name);
  }
}

/** Opens a hash by its exact name and pins it to the list; refuses keys that are not hashes. */
export async function pinModel(connectionId: string, key: Buffer): Promise<{ ref: string }> {
  const config = findConnection(connectionId);
  try {
    const client = await readyClient(connectionId);
    const type = await client.type(key);
    if (type === "none") throw new AppError("NOT_FOUND", `There is no key named ${displayBytes(key)}.`);
    if (type !== "hash") {
      throw new AppError(
        "INVALID",
        `${displayBytes(key)} is a ${type}, not a hash: it cannot hold model parameters.`,
      );
    }
    await (await stateClient()).sadd(pinnedKey(connectionId), key);
    return { ref: toKeyRef(key) };
  } catch (error) {
    throw toAppError(error, config.name);
  }
}

export async function unpinModel(connectionId: string, key: Buffer): Promise<void> {
  await (await stateClient()).srem(pinnedKey(connectionId), key);
}
