import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { auditBacklog, auditKey, drainAuditSpool, listAudit, writeAudit, type AuditInput } from "@/lib/audit";
import { toAuditRecord } from "@/lib/audit/entry";
import { drainOnce } from "@/lib/audit/spool-drain";
import { deleteKey, setTtl } from "@/lib/keys/write";
import { digestOf } from "@/lib/models/digest";
import { applyChanges } from "@/lib/models/write";
import { fillUntilRefused } from "@/tests/helpers/memory";
import { withConsoleRedis } from "@/tests/helpers/redis";

// Issue 9.8: a Redis out of memory (maxmemory 1mb, noeviction) refuses the console's writes.
// Changes that still go through (UNLINK frees memory, so it is allowed) must not go unaudited.

const redis = withConsoleRedis("main", ["--maxmemory", "1mb", "--maxmemory-policy", "noeviction"]);

let dataDir = "";

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "console-audit-spool-"));
  process.env.CONSOLE_DATA_DIR = dataDir;
  await redis.client.config("SET", "maxmemory", "0");
  await redis.client.flushall();
});

afterEach(async () => {
  await redis.client.config("SET", "maxmemory", "0");
  delete process.env.CONSOLE_DATA_DIR;
  delete process.env.CONSOLE_AUDIT_SPOOL_MAX_BYTES;
  await rm(dataDir, { recursive: true, force: true });
});

async function refuseWrites(): Promise<void> {
  await redis.client.config("SET", "maxmemory", "1mb");
  await fillUntilRefused(redis.client);
  await expect(redis.client.xadd(auditKey(), "*", "probe", "1")).rejects.toThrow(/^OOM/);
}

async function acceptWrites(): Promise<void> {
  await redis.client.config("SET", "maxmemory", "0");
}

async function streamActions(): Promise<string[]> {
  const rows = await redis.client.xrange(auditKey(), "-", "+");
  return rows.map(([, flat]) => flat[flat.indexOf("action") + 1]!);
}

function runChild(env: NodeJS.ProcessEnv): Promise<void> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=react-server", "tests/helpers/audit-child.ts"],
    { env, stdio: ["ignore", "ignore", "inherit"] },
  );
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`audit child exited with ${code}`)),
    );
  });
}

/** What waits on disk, in order: the file a drain attempt already claimed, then newer lines. */
async function spooledText(): Promise<string> {
  const read = (name: string) => readFile(path.join(dataDir, name), "utf8").catch(() => "");
  return (await read("audit-spool.draining.jsonl")) + (await read("audit-spool.jsonl"));
}

function change(action: string, extra: Partial<AuditInput> = {}): AuditInput {
  return { action, user: "olga", role: "operator", connection: "main", outcome: "ok", ...extra };
}

describe("out of memory", () => {
  it("a TTL change Redis refuses for lack of memory answers OUT_OF_MEMORY, not INTERNAL", async () => {
    await redis.client.set("result:small", "1");
    await refuseWrites();

    await expect(setTtl("main", Buffer.from("result:small"), 60)).rejects.toMatchObject({
      code: "OUT_OF_MEMORY",
      message: expect.stringContaining("out of memory"),
    });
    await expect(setTtl("main", Buffer.from("result:small"), null)).rejects.toMatchObject({
      code: "OUT_OF_MEMORY",
    });
    expect(await redis.client.ttl("result:small")).toBe(-1);
  });

  it("a parameter edit (a Lua script) Redis refuses for lack of memory answers OUT_OF_MEMORY", async () => {
    await redis.client.hset("model:oom:v1", "coefficient", "1.5");
    await refuseWrites();

    const change = {
      field: Buffer.from("coefficient"),
      expected: digestOf(Buffer.from("1.5")),
      value: Buffer.from("2.0"),
    };
    await expect(applyChanges("main", Buffer.from("model:oom:v1"), [change])).rejects.toMatchObject({
      code: "OUT_OF_MEMORY",
    });
    expect(await redis.client.hget("model:oom:v1", "coefficient")).toBe("1.5");
  });
});

describe("audit entries Redis refuses", () => {
  it("a delete made while Redis refuses writes is kept on disk, then written in order with its own time", async () => {
    await redis.client.set("result:doomed", "1");
    await refuseWrites();

    await writeAudit(change("key.ttl", { target: "result:other", outcome: "failed" }));
    expect(await auditBacklog()).toEqual({ waiting: 1, reason: "Redis refused writes (out of memory)" });

    const deletedAt = Date.now();
    expect(await deleteKey("main", Buffer.from("result:doomed"))).toEqual({ existed: true });
    await writeAudit(change("key.delete", { target: "result:doomed", count: 1 }));
    await writeAudit(change("key.ttl", { target: "result:later", old: "none", new: "60s" }));

    expect(await redis.client.exists("result:doomed")).toBe(0);
    expect(await redis.client.exists(auditKey())).toBe(0);
    expect(await auditBacklog()).toEqual({ waiting: 3, reason: "Redis refused writes (out of memory)" });
    for (const file of await readdir(dataDir)) {
      expect((await stat(path.join(dataDir, file))).mode & 0o777).toBe(0o600);
    }
    const lines = (await spooledText()).trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[1]!)).toMatchObject({
      action: "key.delete",
      target: "result:doomed",
      count: "1",
    });

    await new Promise((resolve) => setTimeout(resolve, 20));
    const freedAt = Date.now();
    await acceptWrites();
    // The next audited change writes the waiting ones first, then itself.
    await writeAudit(change("key.delete", { target: "result:after" }));

    expect(await auditBacklog()).toEqual({ waiting: 0 });
    expect(await readdir(dataDir)).toEqual([]);
    expect(await streamActions()).toEqual(["key.ttl", "key.delete", "key.ttl", "key.delete"]);
    const { entries } = await listAudit();
    expect(entries.map((e) => e.target)).toEqual([
      "result:after",
      "result:later",
      "result:doomed",
      "result:other",
    ]);
    const deleted = entries[2]!;
    expect(deleted).toMatchObject({
      action: "key.delete",
      user: "olga",
      role: "operator",
      connection: "main",
      target: "result:doomed",
      count: 1,
      outcome: "ok",
      spooled: true,
    });
    // The time it happened, not the time it reached the stream.
    expect(deleted.at).toBeGreaterThanOrEqual(deletedAt);
    expect(deleted.at).toBeLessThan(freedAt);
    expect(Number(deleted.id.split("-")[0])).toBeGreaterThanOrEqual(freedAt);
    // The change made after memory was freed queued behind the waiting ones, to keep the order.
    expect(entries[0]!.spooled).toBe(true);
  });

  it("two drains at once, in one process or sharing the data folder, write each entry exactly once", async () => {
    await refuseWrites();
    const total = 230;
    for (let i = 0; i < total; i++) await writeAudit(change("model.set", { field: String(i) }));
    expect((await auditBacklog()).waiting).toBe(total);

    await acceptWrites();
    // drainOnce is what each process runs under the data folder's lock; drainAuditSpool queues
    // this process's passes behind each other.
    await Promise.all([drainOnce(), drainOnce(), drainAuditSpool(), drainAuditSpool(), drainOnce()]);
    await drainAuditSpool();

    const rows = await redis.client.xrange(auditKey(), "-", "+");
    const fields = rows.map(([, flat]) => flat[flat.indexOf("field") + 1]);
    expect(fields).toEqual(Array.from({ length: total }, (_, i) => String(i)));
    expect(await auditBacklog()).toEqual({ waiting: 0 });
  });

  it("two console processes sharing the data folder, one draining and one writing, write each entry once", async () => {
    await refuseWrites();
    const spooled = 150;
    for (let i = 0; i < spooled; i++) await writeAudit(change("model.set", { field: String(i) }));
    await acceptWrites();

    // Both children and this process start at the same moment, once the children have loaded.
    const start = Date.now() + 4_000;
    const children = [{}, { AUDIT_CHILD_WRITES: "40" }].map((extra) =>
      runChild({ ...process.env, CONSOLE_DATA_DIR: dataDir, AUDIT_CHILD_START: String(start), ...extra }),
    );
    await new Promise((resolve) => setTimeout(resolve, start - Date.now()));
    await Promise.all([drainOnce(), drainAuditSpool(), ...children]);
    await drainAuditSpool();

    const rows = await redis.client.xrange(auditKey(), "-", "+");
    const fields = rows.map(([, flat]) => flat[flat.indexOf("field") + 1]!);
    expect(new Set(fields).size).toBe(fields.length);
    expect(fields.filter((f) => !f.startsWith("child-"))).toEqual(
      Array.from({ length: spooled }, (_, i) => String(i)),
    );
    expect(fields.filter((f) => f.startsWith("child-"))).toEqual(
      Array.from({ length: 40 }, (_, i) => `child-${i}`),
    );
    expect(await auditBacklog()).toEqual({ waiting: 0 });
  });

  it("an entry after one kept on disk queues behind it, though the spool was just seen empty; another process's spooled entry is seen within a second", async () => {
    // Accepted: the spool is seen empty, and believed so for a second without a look.
    await writeAudit(change("first"));
    await refuseWrites();
    await writeAudit(change("kept"));
    expect(await spooledText()).toContain('"action":"kept"');
    await acceptWrites();
    // Within that second: spooling "kept" ended the belief, so this one looks, and queues behind.
    await writeAudit(change("after"));
    expect(await streamActions()).toEqual(["first", "kept", "after"]);
    expect(await spooledText()).toBe("");

    // Another process spools an entry into the same folder (Redis refused it there).
    const record = { ...toAuditRecord(change("elsewhere"), Date.now()), spoolId: "0123456789abcdef" };
    await writeFile(path.join(dataDir, "audit-spool.jsonl"), `${JSON.stringify(record)}\n`, { mode: 0o600 });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await writeAudit(change("later"));
    expect(await streamActions()).toEqual(["first", "kept", "after", "elsewhere", "later"]);
  });

  it("a drain interrupted after a batch went in, before it noted so, does not write that batch twice", async () => {
    await refuseWrites();
    for (let i = 0; i < 3; i++) await writeAudit(change("model.set", { field: String(i) }));
    const waiting = await spooledText();
    expect(waiting.trimEnd().split("\n")).toHaveLength(3);

    await acceptWrites();
    await drainAuditSpool();
    expect(await redis.client.xlen(auditKey())).toBe(3);

    // As if the console died right after EXEC: the file being drained is still there, its offset not.
    await writeFile(path.join(dataDir, "audit-spool.draining.jsonl"), waiting, { mode: 0o600 });
    expect((await auditBacklog()).waiting).toBe(3);
    await drainAuditSpool();
    expect(await redis.client.xlen(auditKey())).toBe(3);
    expect(await auditBacklog()).toEqual({ waiting: 0 });
  });

  it("a full spool refuses more entries and says loudly how many were lost", async () => {
    await refuseWrites();
    process.env.CONSOLE_AUDIT_SPOOL_MAX_BYTES = "600";
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      for (let i = 0; i < 6; i++) await writeAudit(change("model.set", { field: String(i) }));
      const backlog = await auditBacklog();
      expect(backlog.waiting).toBeGreaterThan(0);
      expect(backlog.waiting).toBeLessThan(6);
      expect(backlog.lost).toBe(6 - backlog.waiting);
      expect(logged.mock.calls.flat().join("\n")).toMatch(
        /LOST audit entry "model.set".* audit entries lost/,
      );
    } finally {
      logged.mockRestore();
    }
  });
});
