import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit, writeAudit } from "@/lib/audit";
import { databaseInfo, databaseLabel, flushDatabase } from "@/lib/cache/database";
import { jobFinished, startFlush } from "@/lib/cache/jobs";
import { readNamespaceHitRates } from "@/lib/cache/namespace-hits";
import { listNamespaces } from "@/lib/cache/namespaces";
import { patternReach } from "@/lib/cache/reach";
import { isAppError } from "@/lib/errors";
import { checkHealth } from "@/lib/health";
import { keyTree, listKeys } from "@/lib/keys/list";
import { readKey } from "@/lib/keys/read";
import { deleteKey, setTtl } from "@/lib/keys/write";
import { closePubSubHubs, pubSubHub } from "@/lib/live/pubsub";
import { closeMetricsSamplers, readMetrics } from "@/lib/metrics/samplers";
import { cloneModel } from "@/lib/models/clone";
import { compareModels } from "@/lib/models/compare";
import { digestOf } from "@/lib/models/digest";
import { exportModel } from "@/lib/models/export";
import { readFieldPage } from "@/lib/models/fields";
import { listHistory, recordChanges } from "@/lib/models/history";
import { listModels } from "@/lib/models/list";
import { getModelSummary } from "@/lib/models/summary";
import { applyChanges } from "@/lib/models/write";
import { listChannels, publishMessage } from "@/lib/monitor/channels";
import { getOverview } from "@/lib/overview";
import { readSlowLog } from "@/lib/slowlog/read";
import { readEntries } from "@/lib/streams/entries";
import { ackEntries, createGroup, streamGroups } from "@/lib/streams/groups";
import { listStreams } from "@/lib/streams/list";
import { closeAllClients } from "@/lib/redis/registry";
import type { RedisServerHandle } from "@/scripts/lib/redis-server";
import { startTestRedis } from "@/tests/helpers/redis";
import type Redis from "ioredis";

// Least privilege, with the very ACL lines README gives: the read side runs as the read-only user
// (which may write console state only), every write path as the console's full user, and whatever
// an ACL refuses comes back as the mapped "not permitted" error (403), not a 500.

const PASSWORD = `acl-test-${process.pid}`;
let server: RedisServerHandle;
let admin: Redis;

/** The `ACL SETUSER <user> …` line from README, split as redis-cli would (double quotes group). */
function readmeAclLine(user: string): string[] {
  const readme = readFileSync(path.join(__dirname, "../../README.md"), "utf8");
  const line = readme.split("\n").find((text) => text.startsWith(`ACL SETUSER ${user} `));
  if (!line) throw new Error(`README has no ACL SETUSER line for ${user}`);
  const words = line.match(/"[^"]*"|\S+/g) ?? [];
  return words.map((word) => word.replace(/^"|"$/g, "").replace(">CHANGE-ME", `>${PASSWORD}`));
}

const model = Buffer.from("model:acl:v1");
const other = Buffer.from("model:acl:v2");
const stream = Buffer.from("events:acl");

beforeAll(async () => {
  ({ server, client: admin } = await startTestRedis(["--slowlog-log-slower-than", "0"]));
  for (const user of ["console", "console-ro"]) {
    const [, ...args] = readmeAclLine(user);
    await admin.call("ACL", ...args);
  }
  // The console's line, less TIME, which the flush asks for its pacing but can do without.
  const [, , , ...consoleRules] = readmeAclLine("console");
  await admin.call("ACL", "SETUSER", "console-no-time", ...consoleRules, "-time");
  await admin.hset(model, { coefficient: "1.5", intercept: "0.2" });
  await admin.hset(other, { coefficient: "1.6" });
  await admin.set("result:acl:1", "42", "EX", 600);
  await admin.xadd(stream, "*", "prediction", "0.9");
  process.env.ACL_TEST_PASSWORD = PASSWORD;
  // The read-only connection comes first, so console state is written through the read-only user.
  process.env.CONSOLE_CONNECTIONS = JSON.stringify([
    {
      id: "ro",
      type: "standalone",
      url: server.url,
      username: "console-ro",
      passwordEnv: "ACL_TEST_PASSWORD",
    },
    { id: "rw", type: "standalone", url: server.url, username: "console", passwordEnv: "ACL_TEST_PASSWORD" },
    {
      id: "no-time",
      type: "standalone",
      url: server.url,
      username: "console-no-time",
      passwordEnv: "ACL_TEST_PASSWORD",
    },
  ]);
});

afterAll(async () => {
  await closePubSubHubs();
  await closeMetricsSamplers();
  await closeAllClients();
  delete process.env.CONSOLE_CONNECTIONS;
  delete process.env.ACL_TEST_PASSWORD;
  admin?.disconnect();
  await server?.stop();
});

/** What the ACL refused so far, as `user command object`; read from ACL LOG. */
async function aclDenials(): Promise<string[]> {
  const log = (await admin.call("ACL", "LOG")) as unknown[][];
  return log.map((entry) => {
    const fields = new Map<unknown, unknown>();
    for (let i = 0; i + 1 < entry.length; i += 2) fields.set(entry[i], entry[i + 1]);
    const command = /cmd=(\S+)/.exec(String(fields.get("client-info")))?.[1];
    return `${String(fields.get("username"))} ${command} ${String(fields.get("object"))}`;
  });
}

async function refusedAsNotPermitted(work: Promise<unknown>): Promise<void> {
  const error = await work.then(
    () => new Error("the ACL let it through"),
    (e: unknown) => e,
  );
  expect(isAppError(error), String(error)).toBe(true);
  expect(error).toMatchObject({
    code: "FORBIDDEN",
    message:
      'Connection "ro" refused the command as not permitted: its Redis user lacks the permission (check its ACL).',
  });
}

describe("the read-only ACL user", () => {
  it("runs the whole read side", async () => {
    expect((await checkHealth()).ok).toBe(true);
    expect((await listModels("ro")).rows.map((m) => m.key)).toContain("model:acl:v1");
    expect((await readFieldPage("ro", model)).total).toBe(2);
    expect(await getModelSummary("ro", model)).toBeTruthy();
    expect((await compareModels("ro", model, other)).differ.length).toBeGreaterThan(0);
    const exported = await new Response(await exportModel("ro", model, "json")).text();
    expect(exported).toContain("coefficient");
    expect((await listHistory("ro", model, { count: 10 })).entries).toEqual([]);

    expect((await listKeys("ro", { pattern: "*acl*" })).rows.length).toBe(4);
    expect(await keyTree("ro")).toBeTruthy();
    expect(await readKey("ro", model)).toBeTruthy();
    expect(await readKey("ro", Buffer.from("result:acl:1"))).toBeTruthy();
    expect(await readKey("ro", stream)).toBeTruthy();

    expect((await listNamespaces("ro")).namespaces.length).toBeGreaterThan(0);
    expect(await patternReach("ro", Buffer.from("result:*"))).toBeTruthy();
    expect(await readNamespaceHitRates("ro", "15m")).toBeTruthy();
    expect(await databaseInfo("ro")).toBeTruthy();

    expect(await getOverview("ro")).toBeTruthy();
    expect(await readMetrics("ro", "1m")).toBeTruthy();
    expect((await listStreams("ro")).rows.length).toBe(1);
    expect((await readEntries("ro", stream, { direction: "backward" })).entries.length).toBe(1);
    expect(await streamGroups("ro", stream)).toBeTruthy();
    expect(await listChannels("ro")).toBeTruthy();
    expect((await readSlowLog("ro")).entries.length).toBeGreaterThan(0);

    await pubSubHub("ro").add("channel", Buffer.from("predictions"), {
      onMessage: () => {},
      onGap: () => {},
    });
    expect(await admin.pubsub("NUMSUB", "predictions")).toEqual(["predictions", 1]);
    // Nothing was refused on the way (not even a script the console would fall back from).
    expect(await aclDenials()).toEqual([]);
  });

  it("writes console state: the audit log, history, metrics", async () => {
    await writeAudit({ action: "test.acl", user: "ana", connection: "ro", outcome: "ok" });
    expect((await listAudit()).entries.map((e) => e.action)).toContain("test.acl");
    await recordChanges("ro", model, "ana", "set", [
      { field: Buffer.from("coefficient"), old: Buffer.from("1.5"), new: Buffer.from("1.5") },
    ]);
    expect((await listHistory("ro", model, { count: 10 })).entries.length).toBe(1);
    expect(await aclDenials()).toEqual([]);
  });

  it("a write outside its ACL is 'not permitted' (403), never a 500", async () => {
    const edit = {
      field: Buffer.from("coefficient"),
      expected: digestOf(Buffer.from("1.5")),
      value: Buffer.from("9"),
    };
    await refusedAsNotPermitted(applyChanges("ro", model, [edit]));
    await refusedAsNotPermitted(deleteKey("ro", Buffer.from("result:acl:1")));
    await refusedAsNotPermitted(publishMessage("ro", Buffer.from("predictions"), Buffer.from("x")));
    await refusedAsNotPermitted(createGroup("ro", stream, "readers", "0"));
    expect(await admin.hget(model, "coefficient")).toBe("1.5");
    expect(await aclDenials()).toEqual([
      "console-ro xgroup|create events:acl",
      "console-ro publish predictions",
      "console-ro unlink result:acl:1",
      "console-ro evalsha model:acl:v1",
    ]);
  });
});

describe("the console's full ACL user", () => {
  it("runs every write path", async () => {
    const edit = {
      field: Buffer.from("coefficient"),
      expected: digestOf(Buffer.from("1.5")),
      value: Buffer.from("2"),
    };
    expect(await applyChanges("rw", model, [edit])).toMatchObject({ ok: true });
    expect(await cloneModel("rw", model, Buffer.from("model:acl:v3"))).toEqual({ fields: 2 });
    expect(await setTtl("rw", Buffer.from("result:acl:1"), 100)).toBeTruthy();
    expect(await deleteKey("rw", Buffer.from("result:acl:1"))).toEqual({ existed: true });
    expect(await publishMessage("rw", Buffer.from("predictions"), Buffer.from("x"))).toEqual({
      receivers: 1,
    });
    await createGroup("rw", stream, "readers", "0");
    const [[, entries] = ["", []]] = (await admin.xreadgroup(
      "GROUP",
      "readers",
      "c1",
      "STREAMS",
      stream,
      ">",
    )) as [string, [string, string[]][]][];
    expect(await ackEntries("rw", stream, "readers", [entries[0]![0]])).toBe(1);

    await admin.set("cache:acl:1", "a");
    const job = await startFlush("rw", { pattern: Buffer.from("cache:acl:*"), user: "ana" });
    expect(await jobFinished(job.id)).toMatchObject({ state: "done", deleted: 1 });

    expect(await flushDatabase("rw", databaseLabel("rw"))).toBeTruthy();
    expect(await admin.dbsize()).toBe(0);
  });

  it("flushes for a user whose ACL refuses TIME, paced by the round trip, and asks TIME in its first step only", async () => {
    await admin.call("ACL", "LOG", "RESET");
    const pipeline = admin.pipeline();
    for (let i = 0; i < 5_000; i++) pipeline.set(`cache:no-time:${i}`, "v");
    await pipeline.exec();
    const job = await startFlush("no-time", { pattern: Buffer.from("cache:no-time:*"), user: "ana" });
    expect(await jobFinished(job.id)).toMatchObject({ state: "done", deleted: 5_000 });
    // ACL LOG entries: count, n, reason, r, context, c, object, o, … (alike denials share one, counted).
    const denials = ((await admin.call("ACL", "LOG")) as unknown[][]).map((entry) => [entry[7], entry[1]]);
    // The first step's two (before and after its commands), of the three or more that 5,000 keys take.
    expect(denials).toEqual([["time", 2]]);
  });
});
