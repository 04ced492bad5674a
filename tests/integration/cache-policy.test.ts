import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type Redis from "ioredis";
import type { Cluster } from "ioredis";
import { countPattern } from "@/lib/cache/count";
import { jobFinished, startFlush, type JobSnapshot } from "@/lib/cache/jobs";
import { flushPatternFor, userPattern } from "@/lib/cache/policy";
import type { Role } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { closeAllClients } from "@/lib/redis/registry";
import type { RedisServerHandle } from "@/scripts/lib/redis-server";
import { startTestCluster } from "@/tests/helpers/cluster";
import { startTestRedis } from "@/tests/helpers/redis";

// Who may flush what, decided against a real Redis by what a pattern matches (lib/cache/policy):
// the same calls the startFlushJob action makes, the decision and then the job. `outside` is a
// client of the test's own, writing the keys and counting what Redis holds afterwards.
const CONN = "main";
const CLUSTER = "cluster";
let main: { server: RedisServerHandle; client: Redis };
let cluster: { servers: RedisServerHandle[]; client: Cluster };

beforeAll(async () => {
  [main, cluster] = await Promise.all([startTestRedis(), startTestCluster()]);
  process.env.CONSOLE_CONNECTIONS = JSON.stringify([
    { id: CONN, type: "standalone", url: main.server.url },
    { id: CLUSTER, type: "cluster", nodes: cluster.servers.map(({ port }) => ({ host: "127.0.0.1", port })) },
  ]);
});

afterAll(async () => {
  await closeAllClients();
  delete process.env.CONSOLE_CONNECTIONS;
  main?.client.disconnect();
  cluster?.client.disconnect();
  await Promise.all([main?.server, ...(cluster?.servers ?? [])].map((handle) => handle?.stop()));
});

/** As the startFlushJob action does it: decide, then start the job; waits for the job's end. */
async function flushAs(
  role: Role,
  pattern: string,
  confirm = pattern,
  connection = CONN,
): Promise<JobSnapshot> {
  const decision = await flushPatternFor(connection, { pattern, confirm }, role);
  const job = await startFlush(connection, { pattern: decision.pattern, user: `${role}-1`, role });
  return jobFinished(job.id);
}

async function refusalOf(run: Promise<unknown>): Promise<AppError> {
  const error = await run.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

async function seed(client: Redis, keys: (string | Buffer)[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 500) {
    await client.mset(...keys.slice(i, i + 500).flatMap((key) => [key, "v"]));
  }
}

const names = (count: number, name: (i: number) => string) =>
  Array.from({ length: count }, (_, i) => name(i));

describe("an operator's flush of a pattern that reaches every key", () => {
  beforeEach(async () => {
    await main.client.flushdb();
    // 54 user keys, as in the report, every one with an `a`, plus the console's own.
    await seed(main.client, [
      ...names(20, (i) => `result:a${i}`),
      ...names(20, (i) => `cache:a${i}`),
      ...names(14, (i) => `model:lr:v${i}:a`),
      "__console:audit-copy",
    ]);
  });

  it.each(["[^\\x01]*", "**", "?*", "[\\x00-\\xff]*", "[a-z]*"])(
    "refuses %s (no literal part) and deletes nothing",
    async (pattern) => {
      const refused = await refusalOf(flushAs("operator", pattern));
      expect(refused.code).toBe("FORBIDDEN");
      expect(refused.message).toContain("A pattern needs a literal part, such as a namespace (`result:*`)");
      expect(refused.message).toContain("flushing the whole database needs the admin role");
      expect(await main.client.dbsize()).toBe(55);
    },
  );

  it("refuses *a* where every user key holds an a, saying how many keys it examined", async () => {
    const refused = await refusalOf(flushAs("operator", "*a*"));
    console.log(`*a* refused: ${refused.message}`);
    expect(refused.code).toBe("FORBIDDEN");
    expect(refused.message).toBe(
      "This pattern matches every key examined (54 of 54): flushing it is flushing the database, which needs the admin role.",
    );
    expect(await main.client.dbsize()).toBe(55);

    // One key without an `a` is enough for `*a*` to be a flush of part of the database.
    await main.client.set("other:1", "v");
    const done = await flushAs("operator", "*a*");
    expect(done).toMatchObject({ state: "done", deleted: 54 });
    expect(await main.client.exists("other:1", "__console:audit-copy")).toBe(2);
  });

  it("refuses result:* when result keys are all the database holds, the console's own aside", async () => {
    await main.client.unlink(...names(20, (i) => `cache:a${i}`), ...names(14, (i) => `model:lr:v${i}:a`));
    const refused = await refusalOf(flushAs("operator", "result:*"));
    expect(refused.code).toBe("FORBIDDEN");
    expect(refused.message).toContain("matches every key examined (20 of 20)");
    expect(await main.client.dbsize()).toBe(21);
  });

  it("refuses any flush of a database holding only the console's own keys", async () => {
    await main.client.flushdb();
    await main.client.set("__console:audit-copy", "v");
    const refused = await refusalOf(flushAs("operator", "result:*"));
    expect(refused.code).toBe("FORBIDDEN");
    expect(refused.message).toContain("holds no keys but the console's own");
  });
});

describe("an operator's namespace flush", () => {
  it("still deletes exactly the result keys, confirmed by the pattern typed again", async () => {
    await main.client.flushdb();
    const results = names(3_000, (i) => `result:${i}`);
    const others = [...names(1_000, (i) => `results:${i}`), ...names(1_000, (i) => `cache:${i}:tmp`)];
    await seed(main.client, [...results, ...others]);

    const wrong = await refusalOf(flushAs("operator", "result:*", "result:"));
    expect(wrong.code).toBe("INVALID");
    expect(await main.client.dbsize()).toBe(5_000);

    const done = await flushAs("operator", "result:*");
    expect(done).toMatchObject({ state: "done", deleted: 3_000 });
    expect(await main.client.exists(...results)).toBe(0);
    expect(await main.client.exists(...others)).toBe(2_000);

    expect(await flushAs("operator", "cache:*:tmp")).toMatchObject({ state: "done", deleted: 1_000 });
  });

  it("examines a bounded number of keys: 50,000 keys that all match are refused after about 20,000", async () => {
    await main.client.flushdb();
    await seed(
      main.client,
      names(50_000, (i) => `bulk:a:${i}`),
    );
    const began = performance.now();
    const refused = await refusalOf(flushAs("operator", "bulk:*"));
    const ms = performance.now() - began;
    const examined = Number(/\(([\d,]+) of/.exec(refused.message)?.[1]?.replace(/,/g, ""));
    console.log(`bulk:* over 50,000 keys: refused after examining ${examined} keys in ${ms.toFixed(0)} ms`);
    expect(refused.code).toBe("FORBIDDEN");
    expect(examined).toBeGreaterThanOrEqual(19_000);
    expect(examined).toBeLessThanOrEqual(21_000);
    expect(await main.client.dbsize()).toBe(50_000);
  });
});

describe("an admin's flush of a pattern that reaches every key", () => {
  beforeEach(async () => {
    await main.client.flushdb();
    await seed(main.client, [
      ...names(30, (i) => `a:${i}`),
      ...names(30, (i) => `b:a${i}`),
      "__console:audit-copy",
    ]);
  });

  it("is a database flush: the pattern typed again is not enough, the database's name is", async () => {
    const refused = await refusalOf(flushAs("admin", "*a*"));
    expect(refused.code).toBe("INVALID");
    expect(refused.message).toBe(
      "This pattern matches every key examined (60 of 60): flushing it is flushing the database. " +
        "Type the database's name to confirm: db0 on main",
    );
    expect(await main.client.dbsize()).toBe(61);

    const done = await flushAs("admin", "*a*", "db0 on main");
    expect(done).toMatchObject({ state: "done", deleted: 60 });
    // Left: the console's own keys, the audit stream the flush wrote to when it ended, and the
    // job itself (its snapshot and the connection's job list), for every console instance to see.
    expect(await main.client.dbsize()).toBe(4);
    expect(await main.client.exists("__console:jobs:by-connection:main", `__console:jobs:${done.id}`)).toBe(
      2,
    );
    expect(await main.client.exists("__console:audit-copy", "__console:audit")).toBe(2);
  });

  it("asks for the database's name for a pattern with no literal part too", async () => {
    expect((await refusalOf(flushAs("admin", "[^\\x01]*"))).message).toBe(
      "`[^\\x01]*` has no literal part, so it can match every key: flushing it is flushing the database. " +
        "Type the database's name to confirm: db0 on main",
    );
    expect(await flushAs("admin", "[^\\x01]*", "db0 on main")).toMatchObject({ state: "done", deleted: 60 });
  });

  it("confirms a namespace flush with the pattern, as for an operator", async () => {
    expect(await flushAs("admin", "a:*")).toMatchObject({ state: "done", deleted: 30 });
    expect(await main.client.exists(...names(30, (i) => `b:a${i}`))).toBe(30);
  });
});

describe("the dry run", () => {
  it("says when a pattern matches every key, and why, as the flush will decide it", async () => {
    await main.client.flushdb();
    await seed(main.client, [...names(50, (i) => `result:a${i}`), "__console:audit-copy"]);
    const dryRun = (pattern: string) => countPattern(CONN, userPattern(pattern));

    expect(await dryRun("[^\\x01]*")).toMatchObject({
      count: 50,
      matchesEverything: true,
      wholeDatabase: { reason: "no-literal-part" },
      databaseLabel: "db0 on main",
    });
    expect(await dryRun("*a*")).toMatchObject({
      count: 50,
      matchesEverything: true,
      wholeDatabase: { reason: "every-key-examined", examined: 50 },
    });
    await main.client.set("other:1", "v");
    expect(await dryRun("*a*")).toMatchObject({ count: 50, matchesEverything: false, wholeDatabase: null });
    expect(await dryRun("result:*")).toMatchObject({ count: 50, matchesEverything: false });
  });
});

describe("on a cluster", () => {
  it("looks for a key the pattern leaves on every master", async () => {
    const keys = names(3_000, (i) => `a:${i}`);
    await Promise.all(keys.map((key) => cluster.client.set(key, "v")));
    const refused = await refusalOf(flushAs("operator", "a:*", "a:*", CLUSTER));
    expect(refused.message).toContain("matches every key examined (3,000 of 3,000)");

    // One key elsewhere, on whichever master its slot lives: the flush may go, and leaves it.
    await cluster.client.set("b:1", "v");
    expect(await flushAs("operator", "a:*", "a:*", CLUSTER)).toMatchObject({ state: "done", deleted: 3_000 });
    expect(await cluster.client.get("b:1")).toBe("v");
  });
});
