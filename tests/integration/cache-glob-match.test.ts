import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type Redis from "ioredis";
import { globMatches, scanMatches } from "@/lib/cache/glob-match";
import type { RedisServerHandle } from "@/scripts/lib/redis-server";
import { startTestRedis } from "@/tests/helpers/redis";

// The ported matcher must take exactly the keys Redis' own SCAN MATCH takes: the flush precheck
// lets an operator flush a pattern only when the port finds a key the pattern leaves.
let server: RedisServerHandle;
let redis: Redis;

beforeAll(async () => {
  ({ server, client: redis } = await startTestRedis());
});

afterAll(async () => {
  redis?.disconnect();
  await server?.stop();
});

const bytes = (text: string) => Buffer.from(text, "latin1");

/** A small deterministic generator (mulberry32), so a failure names a pattern that fails again. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomBytes(next: () => number, alphabet: number[], maxLength: number): Buffer {
  const length = Math.floor(next() * (maxLength + 1));
  return Buffer.from(Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]!));
}

const AWKWARD_KEYS: Buffer[] = [
  ...[
    "",
    "a",
    "b",
    "z",
    "ab",
    "abc",
    "ABC",
    "banana",
    "hello",
    "hallo",
    "hbllo",
    "result:1",
    "result:",
    "results:1",
    "cache:x:tmp",
    "\x01abc",
    "\xff",
    "\xff:1",
    "\x00",
    "\x00x",
    "\x7f",
    "\x80",
    "\xfe",
    "\xc3",
    "[",
    "]",
    "[]",
    "]x",
    "-",
    "a-b",
    "^",
    "_",
    "\\",
    "a\\",
    "\\*",
    "*",
    "?",
    "\n",
    "a\nb",
    " ",
  ].map(bytes),
  ...["cache:😀", "cache:😀:x", "😀", "模型:1"].map((text) => Buffer.from(text, "utf8")),
];

const AWKWARD_PATTERNS: Buffer[] = [
  ...[
    "*",
    "**",
    "?*",
    "*?",
    "?",
    "???",
    "*a*",
    "[^\x01]*",
    "[a-z]*",
    "[z-a]*",
    "[\x00-\xff]*",
    "[\xff-\x00]*",
    "[a-\xff]",
    "[\x80-\xff]*",
    "[\x7f-\x80]",
    "[^\x80-\xff]*",
    "result:*",
    "*:tmp",
    "\\*",
    "a\\",
    "\\",
    "[\\]]",
    "[\\\\]",
    "[a\\-z]",
    "[-a]",
    "[a-]",
    "[a-]b]",
    "[]a]",
    "[^]*",
    "[abc",
    "[^",
    "[",
    "]",
    "]*",
    "^*",
    "-*",
    "\xff*",
    "*\xff",
    "[\xfe\xff]*",
    "\x00*",
    "[\x00]*",
    "h[ae]llo",
    "h[^e]llo",
    "h?llo",
    "*\n*",
  ].map(bytes),
  ...["cache:😀*", "*😀*", "cache:????", "模型:*"].map((text) => Buffer.from(text, "utf8")),
];

/** Every key SCAN MATCH returns for the pattern, as latin1 text (one character per byte). */
async function scanMatch(pattern: Buffer): Promise<string[]> {
  const found = new Set<string>();
  let cursor = "0";
  do {
    const [next, keys] = (await redis.callBuffer("SCAN", cursor, "MATCH", pattern, "COUNT", 10_000)) as [
      Buffer,
      Buffer[],
    ];
    for (const key of keys) found.add(key.toString("latin1"));
    cursor = next.toString();
  } while (cursor !== "0");
  return [...found].sort();
}

function portMatches(pattern: Buffer, keys: Buffer[]): string[] {
  return keys
    .filter((key) => scanMatches(pattern, key))
    .map((key) => key.toString("latin1"))
    .sort();
}

async function storeKeys(keys: Buffer[]): Promise<void> {
  await redis.flushdb();
  const pipeline = redis.pipeline();
  for (const key of keys) pipeline.set(key, "v");
  await pipeline.exec();
  expect(await redis.dbsize()).toBe(new Set(keys.map((key) => key.toString("latin1"))).size);
}

describe("the JS port of stringmatchlen against Redis' SCAN MATCH", () => {
  it("takes the same awkward keys for every awkward pattern", async () => {
    await storeKeys(AWKWARD_KEYS);
    let matched = 0;
    for (const pattern of AWKWARD_PATTERNS) {
      const expected = await scanMatch(pattern);
      matched += expected.length;
      expect(
        portMatches(pattern, AWKWARD_KEYS),
        `pattern ${JSON.stringify(pattern.toString("latin1"))}`,
      ).toEqual(expected);
    }
    console.log(
      `${AWKWARD_PATTERNS.length} patterns over ${AWKWARD_KEYS.length} keys agree (${matched} matches in all)`,
    );
    // The comparison means something only if patterns both take and leave keys.
    expect(matched).toBeGreaterThan(AWKWARD_PATTERNS.length);
  });

  it("agrees on thousands of random patterns made of glob characters and high bytes", async () => {
    const next = random(0x5eed);
    const alphabet = [...bytes("*?[]^-\\az:"), 0x00, 0x7f, 0x80, 0xff];
    const keyAlphabet = [...bytes("az:[]^-\\*"), 0x00, 0x7f, 0x80, 0xff];
    const keys = [...AWKWARD_KEYS, ...Array.from({ length: 300 }, () => randomBytes(next, keyAlphabet, 5))];
    const unique = [...new Map(keys.map((key) => [key.toString("latin1"), key])).values()];
    await storeKeys(unique);
    let matched = 0;
    let disagreements = 0;
    const patterns = Array.from({ length: 3_000 }, () => randomBytes(next, alphabet, 8));
    for (const pattern of patterns) {
      const expected = await scanMatch(pattern);
      matched += expected.length;
      const actual = portMatches(pattern, unique);
      if (actual.join("\0") !== expected.join("\0")) disagreements += 1;
      expect(actual, `pattern ${JSON.stringify(pattern.toString("latin1"))}`).toEqual(expected);
    }
    console.log(
      `${patterns.length} random patterns over ${unique.length} keys: ${disagreements} disagreements, ${matched} matches`,
    );
    expect(matched).toBeGreaterThan(patterns.length);
  });

  it("sees that `*` takes the empty key through SCAN while `**` does not", async () => {
    await storeKeys([bytes(""), bytes("x")]);
    expect(await scanMatch(bytes("*"))).toEqual(["", "x"]);
    expect(await scanMatch(bytes("**"))).toEqual(["x"]);
    expect(globMatches(bytes("**"), bytes(""))).toBe(false);
  });
});
