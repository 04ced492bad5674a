import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type Redis from "ioredis";
import type { Cluster } from "ioredis";
import {
  keyTree,
  listKeys,
  SCAN_BUDGET,
  type KeyListPage,
  type KeyRow,
  type KeyTreePage,
  type ListKeysOptions,
} from "@/lib/keys/list";
import { readKey } from "@/lib/keys/read";
import { deleteKey, setTtl } from "@/lib/keys/write";
import { displayBytes, fromKeyRef, toKeyRef } from "@/lib/redis/keys";
import { closeAllClients } from "@/lib/redis/registry";
import type { RedisServerHandle } from "@/scripts/lib/redis-server";
import { startTestCluster } from "@/tests/helpers/cluster";
import { startTestRedis } from "@/tests/helpers/redis";

// lib/keys/list.ts: the keys list and tree over 120,000 keys, with scripts refused, and on a cluster
// (where a key found is read, changed and deleted too).
// `outside` plays the applications that write the keys, and checks what Redis holds afterwards.
let server: RedisServerHandle;
let outside: Redis;
const CONN = "main";
const NO_SCRIPTS = "noscript";
const CLUSTER = "cluster";
let cluster: { servers: RedisServerHandle[]; client: Cluster } | undefined;

beforeAll(async () => {
  ({ server, client: outside } = await startTestRedis());
  // A second connection as a Redis user who may not run scripts, as some managed services set up.
  await outside.acl("SETUSER", "noscript", "on", ">secret", "~*", "&*", "+@all", "-@scripting");
  const noScriptUrl = server.url.replace("redis://", "redis://noscript:secret@");
  const started = await startTestCluster();
  cluster = started;
  process.env.CONSOLE_CONNECTIONS = JSON.stringify([
    { id: CONN, type: "standalone", url: server.url },
    { id: NO_SCRIPTS, type: "standalone", url: noScriptUrl },
    { id: CLUSTER, type: "cluster", nodes: started.servers.map(({ port }) => ({ host: "127.0.0.1", port })) },
  ]);
});

afterAll(async () => {
  await closeAllClients();
  delete process.env.CONSOLE_CONNECTIONS;
  outside.disconnect();
  cluster?.client.disconnect();
  await Promise.all([server, ...(cluster?.servers ?? [])].map((handle) => handle?.stop()));
});

const STRINGS = 100_000;
const HASHES = 20_000;
const cacheKey = (i: number) => `cache:result:${i}`;
const featureKey = (i: number) => `feature:user:${i}`;
const GLOB_KEYS = ["a*b?[c]", "a*b?[c]:1", "aXbYc", "a*b?c", "aZZb1c", "a*b?[c"];
const HIDDEN = ["__console:keys-test:a", "__console:keys-test:b"];
const TREE = [
  "tree:users:1",
  "tree:users:2",
  "tree:users:3",
  "tree:users:admins:1",
  "tree:users:admins:2",
  "tree:models:churn",
  "tree:leaf1",
  "tree:leaf2",
  "tree::empty",
];
const BINARY_KEY = Buffer.concat([Buffer.from([0xff, 0x00, 0x0a]), Buffer.from("*?[x] 😀")]);
const BINARY_NEIGHBOURS = [
  Buffer.from([0xff, 0x00, 0x0a]),
  Buffer.concat([Buffer.from([0xff, 0x00, 0x0a]), Buffer.from("*?[x]")]),
  Buffer.from("\\xff\\x00\\n*?[x] 😀"),
];

/** Every page of the list, following the cursor until "" as the page does when the user continues. */
async function listAll(
  options: ListKeysOptions = {},
  connection = CONN,
): Promise<{ pages: KeyListPage[]; rows: KeyRow[] }> {
  const pages: KeyListPage[] = [];
  let cursor: string | undefined;
  do {
    const page = await listKeys(connection, { ...options, cursor });
    pages.push(page);
    cursor = page.cursor;
    if (pages.length > 5_000) throw new Error("the key list never reached its end");
  } while (cursor);
  return { pages, rows: pages.flatMap((page) => page.rows) };
}

/** Listed keys deduplicated by ref (SCAN may repeat a key; the page merges by ref), as displayed. */
function listed(rows: KeyRow[]): string[] {
  return [...new Map(rows.map((row) => [row.ref, row.key])).values()].sort();
}

async function treeAll(options: Parameters<typeof keyTree>[1], connection = CONN): Promise<KeyTreePage[]> {
  const pages: KeyTreePage[] = [];
  let cursor: string | undefined;
  do {
    const page = await keyTree(connection, { ...options, cursor });
    pages.push(page);
    cursor = page.cursor;
    if (pages.length > 100) throw new Error("the tree never reached its end");
  } while (cursor);
  return pages;
}

describe("the keys list on 120,000 keys", () => {
  beforeAll(async () => {
    const pipeline = outside.pipeline();
    for (let i = 0; i < STRINGS; i += 1_000) {
      const chunk: string[] = [];
      for (let j = i; j < i + 1_000; j++) chunk.push(cacheKey(j), `{"score": ${j}}`);
      pipeline.mset(...chunk);
    }
    for (let i = 0; i < HASHES; i++) pipeline.hset(featureKey(i), "tenure", String(i));
    for (const key of [...GLOB_KEYS, ...HIDDEN, ...TREE]) pipeline.set(key, "x");
    pipeline.set(BINARY_KEY, "binary");
    for (const key of BINARY_NEIGHBOURS) pipeline.set(key, "neighbour");
    pipeline.expire(cacheKey(7), 3_600);
    const results = (await pipeline.exec()) ?? [];
    expect(results.filter(([error]) => error)).toEqual([]);
  });

  const allVisible = () =>
    [
      ...Array.from({ length: STRINGS }, (_, i) => cacheKey(i)),
      ...Array.from({ length: HASHES }, (_, i) => featureKey(i)),
      ...GLOB_KEYS,
      ...TREE,
      ...[BINARY_KEY, ...BINARY_NEIGHBOURS].map((key) => displayBytes(key)),
    ].sort();

  it("pages through every key within the scan budget, listing each exactly once and never a hidden one", async () => {
    const dbSize = await outside.dbsize();
    expect(dbSize).toBeGreaterThan(120_000);

    const { pages, rows } = await listAll({ limit: 500 });

    expect(pages.length).toBeGreaterThan(200);
    for (const page of pages) {
      expect(page.dbSize).toBe(dbSize);
      expect(page.examined).toBeGreaterThan(0);
      expect(page.examined).toBeLessThanOrEqual(SCAN_BUDGET);
      expect(page.exact).toBeNull();
    }
    expect(pages.at(-1)?.cursor).toBe("");
    // About a screenful each: a page stops once it holds `limit` rows (a SCAN reply is never cut).
    for (const page of pages.slice(0, -1)) {
      expect(page.rows.length).toBeGreaterThanOrEqual(500);
      expect(page.rows.length).toBeLessThanOrEqual(550);
    }
    expect(listed(rows)).toEqual(allVisible());
    for (const row of rows) expect(displayBytes(fromKeyRef(row.ref)!)).toBe(row.key);
  });

  it("shows a first page of about 100 keys with type, TTL and memory, and how far the scan got", async () => {
    const page = await listKeys(CONN);

    expect(page.rows.length).toBeGreaterThanOrEqual(100);
    expect(page.rows.length).toBeLessThan(150);
    expect(page.cursor).not.toBe("");
    expect(page.examined).toBeLessThan(page.dbSize);
    for (const row of page.rows) {
      expect(["string", "hash"]).toContain(row.type);
      expect(row.memoryBytes).toBeGreaterThan(0);
      expect(row.consoleState).toBe(false);
    }
    const [expiring] = (await listAll({ pattern: "cache:result:7" })).pages.map((p) => p.exact);
    expect(expiring?.ttlSeconds).toBeGreaterThan(3_590);
    expect(expiring?.ttlSeconds).toBeLessThanOrEqual(3_600);
    expect(page.rows.find((row) => row.key === featureKey(1))?.ttlSeconds ?? null).toBeNull();
  });

  it("filters by type with SCAN … TYPE, listing every hash and nothing else", async () => {
    const { pages, rows } = await listAll({ type: "hash", limit: 500 });

    for (const page of pages) expect(page.examined).toBeLessThanOrEqual(SCAN_BUDGET);
    expect(new Set(rows.map((row) => row.type))).toEqual(new Set(["hash"]));
    expect(listed(rows)).toEqual(Array.from({ length: HASHES }, (_, i) => featureKey(i)).sort());
  });

  it("says how far a sparse pattern got when the budget ran out, and finds all its keys when continued", async () => {
    const first = await listKeys(CONN, { pattern: "feature:user:1999*" });
    expect(first.examined).toBe(SCAN_BUDGET);
    expect(first.cursor).not.toBe("");

    const { rows } = await listAll({ pattern: "feature:user:1999*" });
    const expected = ["1999", ...Array.from({ length: 10 }, (_, i) => `1999${i}`)];
    expect(listed(rows)).toEqual(expected.map((n) => `feature:user:${n}`).sort());
  });

  it("goes straight to a key named exactly, even one the first page's scan does not reach", async () => {
    const firstPage = await listKeys(CONN, { pattern: "cache:result:*" });
    const notOnIt = Array.from({ length: STRINGS }, (_, i) => cacheKey(i)).find(
      (key) => !firstPage.rows.some((row) => row.key === key),
    )!;

    const page = await listKeys(CONN, { pattern: notOnIt });
    expect(page).toMatchObject({ exactLookup: true, rows: [], cursor: "", examined: 0 });
    expect(page.exact).toMatchObject({
      key: notOnIt,
      ref: toKeyRef(notOnIt),
      type: "string",
      ttlSeconds: null,
    });

    expect((await listKeys(CONN, { prefix: "cache:", pattern: "result:5" })).exact?.key).toBe(cacheKey(5));
    expect((await listKeys(CONN, { pattern: "cache:result:none" })).exact).toBeNull();
    expect((await listKeys(CONN, { pattern: notOnIt, type: "hash" })).exact).toBeNull();
    expect((await listKeys(CONN, { pattern: featureKey(3), type: "hash" })).exact?.type).toBe("hash");
  });

  it("matches a literal prefix with glob characters only literally", async () => {
    const { rows } = await listAll({ prefix: "a*b?[c]" });
    expect(listed(rows)).toEqual(["a*b?[c]", "a*b?[c]:1"]);

    // As a glob the same text matches other keys (and not itself: `[c]` wants a final c); escaped, one key.
    expect(listed((await listAll({ pattern: "a*b?[c]" })).rows)).toEqual(["a*b?c", "aXbYc", "aZZb1c"]);
    expect(listed((await listAll({ pattern: "a\\*b\\?\\[c\\]*" })).rows)).toEqual(["a*b?[c]", "a*b?[c]:1"]);
    const exact = await listKeys(CONN, { pattern: "a\\*b\\?\\[c\\]" });
    expect(exact).toMatchObject({ exactLookup: true, exact: { key: "a*b?[c]" } });
    expect((await listKeys(CONN, { pattern: "a\\*b\\?\\[c" })).exact?.key).toBe("a*b?[c");
  });

  it("hides the console's own keys unless asked, and never finds them by exact name without asking", async () => {
    expect((await listAll({ pattern: "__console:*" })).rows).toEqual([]);
    expect((await listKeys(CONN, { pattern: HIDDEN[0] })).exact).toBeNull();

    const shown = await listAll({ pattern: "__console:keys-test:*", includeConsoleState: true });
    expect(listed(shown.rows)).toEqual(HIDDEN);
    expect(shown.rows.every((row) => row.consoleState)).toBe(true);
    const exact = await listKeys(CONN, { pattern: HIDDEN[0], includeConsoleState: true });
    expect(exact.exact).toMatchObject({ key: HIDDEN[0], consoleState: true });
  });

  it("lists, finds by typed name and opens a key of awkward bytes, exactly", async () => {
    const ref = toKeyRef(BINARY_KEY);
    const shown = displayBytes(BINARY_KEY);
    expect(shown).toBe("\\xff\\x00\\n*?[x] 😀");

    const byPrefix = await listAll({ prefix: shown });
    expect(listed(byPrefix.rows)).toEqual([shown]);
    expect(byPrefix.rows[0]?.ref).toBe(ref);
    const byName = await listKeys(CONN, { pattern: "\\xff\\x00\\n\\*\\?\\[x\\] 😀" });
    expect(byName.exact).toMatchObject({ ref, key: shown, type: "string" });
    const byGlob = await listAll({ pattern: "\\xff\\x00\\n\\*\\?\\[x\\]*" });
    expect(listed(byGlob.rows)).toEqual([shown, displayBytes(BINARY_NEIGHBOURS[1]!)].sort());

    const opened = await readKey(CONN, fromKeyRef(ref)!);
    expect(opened).toMatchObject({ type: "string", key: shown, ref, size: 6, value: { display: "binary" } });
  });

  describe("the tree", () => {
    const merged = (pages: KeyTreePage[]) => {
      const counts: Record<string, number> = {};
      for (const folder of pages.flatMap((page) => page.folders)) {
        counts[folder.prefix] = (counts[folder.prefix] ?? 0) + folder.count;
      }
      return { counts, keys: pages.flatMap((page) => page.keys.map((row) => row.key)).sort() };
    };

    it("shows the folders under a prefix with the keys seen in each, and the keys at that level", async () => {
      const pages = await treeAll({ prefix: "tree:" });

      for (const page of pages) expect(page.examined).toBeLessThanOrEqual(SCAN_BUDGET);
      expect(pages[0]).toMatchObject({ prefix: "tree:", delimiter: ":" });
      expect(merged(pages)).toEqual({
        counts: { "tree::": 1, "tree:models:": 1, "tree:users:": 5 },
        keys: ["tree:leaf1", "tree:leaf2"],
      });
      const names = pages.flatMap((page) => page.folders.map((folder) => folder.name));
      expect(names).toEqual(expect.arrayContaining(["", "models", "users"]));

      const users = merged(await treeAll({ prefix: "tree:users:" }));
      expect(users).toEqual({
        counts: { "tree:users:admins:": 2 },
        keys: ["tree:users:1", "tree:users:2", "tree:users:3"],
      });
    });

    it("samples the top level within the budget, counting keys seen per folder", async () => {
      const first = await keyTree(CONN, {});
      expect(first.examined).toBeLessThanOrEqual(SCAN_BUDGET);
      const seen = first.folders.reduce((sum, folder) => sum + folder.count, 0) + first.keys.length;
      expect(seen).toBeGreaterThan(0);
      expect(first.folders.map((folder) => folder.prefix)).toContain("cache:");
      expect(first.folders.map((folder) => folder.prefix)).not.toContain("__console:");

      const whole = merged(await treeAll({}));
      expect(whole.counts["cache:"]).toBe(STRINGS);
      expect(whole.counts["feature:"]).toBe(HASHES);
      expect(whole.counts["tree:"]).toBe(TREE.length);
      expect(whole.keys).toEqual(expect.arrayContaining(["a*b?[c]", "aXbYc"]));
    });

    it("splits by another delimiter, given or configured", async () => {
      const slashed = ["path/to/a", "path/to/b", "path/x", "path/to:c/d"];
      for (const key of slashed) await outside.set(key, "1");

      expect(merged(await treeAll({ prefix: "path/", delimiter: "/" }))).toEqual({
        counts: { "path/to/": 2, "path/to:c/": 1 },
        keys: ["path/x"],
      });
      process.env.CONSOLE_KEY_DELIMITER = "/";
      try {
        const pages = await treeAll({ prefix: "path/to/" });
        expect(pages[0]?.delimiter).toBe("/");
        expect(merged(pages)).toEqual({ counts: {}, keys: ["path/to/a", "path/to/b"] });
      } finally {
        delete process.env.CONSOLE_KEY_DELIMITER;
      }
      await expect(keyTree(CONN, { delimiter: "" })).rejects.toMatchObject({ code: "INVALID" });
    });
  });

  it("shows the same rows to a Redis user who may not run scripts", async () => {
    const options = { pattern: "tree:*" };
    const withScripts = (await listAll(options)).rows;
    const without = (await listAll(options, NO_SCRIPTS)).rows;
    const byKey = (rows: KeyRow[]) => [...rows].sort((a, b) => a.key.localeCompare(b.key));

    // The premise: Redis refused that user's script, so the rows came another way.
    expect(JSON.stringify(await outside.acl("LOG"))).toContain("noscript");
    expect(byKey(without)).toEqual(byKey(withScripts));
    expect(withScripts).toHaveLength(TREE.length);
    expect((await listKeys(NO_SCRIPTS, { pattern: cacheKey(7) })).exact).toMatchObject({
      key: cacheKey(7),
      type: "string",
      ttlSeconds: expect.any(Number),
      memoryBytes: expect.any(Number),
    });
  });

  it("refuses a malformed list cursor", async () => {
    await expect(listKeys(CONN, { cursor: "nonsense" })).rejects.toMatchObject({
      code: "INVALID",
      message: "That scan cursor is malformed; start the scan again.",
    });
  });

  it("deletes only the awkward key it was given, byte for byte", async () => {
    expect(await deleteKey(CONN, fromKeyRef(toKeyRef(BINARY_KEY))!)).toEqual({ existed: true });

    expect(await outside.exists(BINARY_KEY)).toBe(0);
    for (const neighbour of BINARY_NEIGHBOURS) expect(await outside.get(neighbour)).toBe("neighbour");
    expect(await deleteKey(CONN, BINARY_KEY)).toEqual({ existed: false });
    await expect(readKey(CONN, BINARY_KEY)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("on a Redis Cluster of three masters", () => {
  const COUNT = 30_000;
  const clusterKey = (i: number) => `c:{${i % 97}}:${i}`;

  beforeAll(async () => {
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < COUNT; i++) writes.push(cluster!.client.set(clusterKey(i), String(i)));
    for (let i = 0; i < 300; i++) writes.push(cluster!.client.hset(`ch:${i}`, "f", "v"));
    await Promise.all(writes);
  });

  it("scans every master within the budget and lists each key once, with type, TTL and memory", async () => {
    const { pages, rows } = await listAll({ limit: 500 }, CLUSTER);

    const expected = [
      ...Array.from({ length: COUNT }, (_, i) => clusterKey(i)),
      ...Array.from({ length: 300 }, (_, i) => `ch:${i}`),
    ].sort();
    expect(listed(rows)).toEqual(expected);
    for (const page of pages) {
      expect(page.dbSize).toBe(COUNT + 300);
      expect(page.examined).toBeLessThanOrEqual(SCAN_BUDGET);
    }
    expect(rows.every((row) => row.memoryBytes !== null && row.memoryBytes > 0)).toBe(true);
    const hashes = (await listAll({ type: "hash" }, CLUSTER)).rows;
    expect(listed(hashes)).toEqual(Array.from({ length: 300 }, (_, i) => `ch:${i}`).sort());
  });

  it("counts tree folders over every master", async () => {
    const pages = await treeAll({ prefix: "c:" }, CLUSTER);
    const counts: Record<string, number> = {};
    for (const folder of pages.flatMap((page) => page.folders)) {
      counts[folder.name] = (counts[folder.name] ?? 0) + folder.count;
    }
    expect(Object.keys(counts)).toHaveLength(97);
    expect(Object.values(counts).reduce((sum, count) => sum + count, 0)).toBe(COUNT);
  });

  it("finds a key by exact name, reads it, changes its TTL and deletes it", async () => {
    const key = Buffer.from(clusterKey(1234));
    expect((await listKeys(CLUSTER, { pattern: clusterKey(1234) })).exact).toMatchObject({ type: "string" });
    expect(await readKey(CLUSTER, key)).toMatchObject({ type: "string", value: { display: "1234" } });
    expect(await setTtl(CLUSTER, key, 120)).toEqual({ previousTtlSeconds: null, ttlSeconds: 120 });
    expect(await cluster!.client.ttl(key)).toBe(120);
    expect(await deleteKey(CLUSTER, key)).toEqual({ existed: true });
    expect(await cluster!.client.exists(key)).toBe(0);
    expect(await cluster!.client.get(clusterKey(1235))).toBe("1235");
  });
});
