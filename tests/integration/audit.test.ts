import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auditBacklog, auditKey, listAudit, writeAudit } from "@/lib/audit";
import { closeAllClients } from "@/lib/redis/registry";
import { freePort } from "@/scripts/lib/redis-server";
import { withConsoleRedis } from "@/tests/helpers/redis";

const redis = withConsoleRedis("main");

// Entries the stream refuses are kept under the data folder: a fresh one per test.
let dataDir = "";
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "console-audit-"));
  process.env.CONSOLE_DATA_DIR = dataDir;
});
afterEach(async () => {
  delete process.env.CONSOLE_DATA_DIR;
  await rm(dataDir, { recursive: true, force: true });
});

describe("audit log", () => {
  it("records who changed what under the console prefix and pages newest first", async () => {
    for (let i = 0; i < 7; i++) {
      await writeAudit({
        action: "model.set",
        user: "ana",
        role: "editor",
        target: "linear_regression",
        field: "coefficient",
        old: `1.${i}`,
        new: `1.${i + 1}`,
        outcome: "ok",
      });
    }
    await writeAudit({ action: "auth.sign-in", user: "mallory", outcome: "failed", address: "10.0.0.9" });

    expect(auditKey()).toBe("__console:audit");
    expect(await redis.client.xlen("__console:audit")).toBe(8);

    const first = await listAudit({ count: 3 });
    expect(first.entries.map((e) => e.action)).toEqual(["auth.sign-in", "model.set", "model.set"]);
    expect(first.entries[0]).toMatchObject({ user: "mallory", outcome: "failed", address: "10.0.0.9" });
    expect(first.entries[1]).toMatchObject({ user: "ana", role: "editor", old: "1.6", new: "1.7" });

    const seen = [...first.entries];
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await listAudit({ count: 3, before: cursor });
      seen.push(...page.entries);
      cursor = page.nextCursor;
    }
    expect(seen).toHaveLength(8);
    expect(new Set(seen.map((e) => e.id)).size).toBe(8);
    expect(seen[7]).toMatchObject({ old: "1.0", new: "1.1" });
  });

  it("writes a change's several entries together: in order, with no other entry between them", async () => {
    const fields = ["alpha", "beta", "gamma"];
    const edit = (round: number) =>
      writeAudit(
        fields.map((field) => ({
          action: "model.set",
          user: "ana",
          target: `m${round}`,
          field,
          outcome: "ok",
        })),
      );
    const other = (round: number) =>
      writeAudit({ action: "key.delete", user: "bob", target: `k${round}`, outcome: "ok" });
    // Other writers' entries race each change's.
    await Promise.all(Array.from({ length: 20 }, (_, round) => [edit(round), other(round)]).flat());
    const { entries } = await listAudit({ count: 80 });
    const oldestFirst = entries.reverse();
    expect(oldestFirst).toHaveLength(80);
    for (let round = 0; round < 20; round++) {
      const at = oldestFirst.findIndex((entry) => entry.target === `m${round}`);
      expect(
        oldestFirst.slice(at, at + 3).map((entry) => `${entry.target} ${entry.field}`),
        `round ${round}`,
      ).toEqual(fields.map((field) => `m${round} ${field}`));
    }
  });

  it("clips huge values so one entry cannot bloat the log", async () => {
    await writeAudit({ action: "model.set", user: "ana", new: "x".repeat(10_000), outcome: "ok" });
    const [latest] = (await listAudit({ count: 1 })).entries;
    expect(latest?.new?.length).toBeLessThanOrEqual(501);
  });

  it("never blocks or fails the change it records when console state is unreachable", async () => {
    await closeAllClients();
    const previous = process.env.CONSOLE_CONNECTIONS;
    process.env.CONSOLE_CONNECTIONS = JSON.stringify([
      { id: "gone", type: "standalone", url: `redis://127.0.0.1:${await freePort()}` },
    ]);
    try {
      const started = Date.now();
      await expect(
        writeAudit({ action: "auth.sign-in", user: "ana", outcome: "failed" }),
      ).resolves.toBeUndefined();
      await expect(
        writeAudit({ action: "auth.sign-in", user: "ana", outcome: "failed" }),
      ).resolves.toBeUndefined();
      // A change's several entries all wait on disk.
      await expect(
        writeAudit(
          ["a", "b", "c"].map((field) => ({ action: "model.set", user: "ana", field, outcome: "ok" })),
        ),
      ).resolves.toBeUndefined();
      expect(Date.now() - started).toBeLessThan(4_000);
      expect(await auditBacklog()).toEqual({ waiting: 5, reason: "console state is not answering" });
    } finally {
      await closeAllClients();
      process.env.CONSOLE_CONNECTIONS = previous;
    }
  });

  it("refuses a malformed cursor with a clear message", async () => {
    await expect(listAudit({ before: "nope" })).rejects.toMatchObject({ code: "INVALID" });
  });
});
