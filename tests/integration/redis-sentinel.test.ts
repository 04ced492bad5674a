import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAppError } from "@/lib/errors";
import { checkHealth } from "@/lib/health";
import { closePubSubHubs, pubSubHub, type PubSubListener } from "@/lib/live/pubsub";
import { digestOf } from "@/lib/models/digest";
import { readFieldPage } from "@/lib/models/fields";
import { applyChanges, type FieldWrite } from "@/lib/models/write";
import { closeAllClients } from "@/lib/redis/registry";
import { MASTER_NAME, startSentinelSetup, type SentinelSetup } from "@/tests/helpers/sentinel";

// A real Sentinel set-up (primary, replica, three sentinels): the console reaches the primary
// through the sentinels, and after the primary dies it finds the promoted replica by itself —
// health back to ok, edits landing on the new primary, live subscriptions renewed — while every
// failure on the way is one of the console's own errors, never a raw Redis reply.

const CONN = "ha";
const key = Buffer.from(`model:failover_${process.pid}:v1`);
let setup: SentinelSetup;

function edit(field: string, seen: string | null, next: string): FieldWrite {
  return {
    field: Buffer.from(field),
    expected: seen === null ? null : digestOf(Buffer.from(seen)),
    value: Buffer.from(next),
  };
}

beforeAll(async () => {
  setup = await startSentinelSetup();
  process.env.CONSOLE_CONNECTIONS = JSON.stringify([
    {
      id: CONN,
      type: "sentinel",
      masterName: MASTER_NAME,
      sentinels: setup.sentinels.map(({ port }) => ({ host: "127.0.0.1", port })),
    },
    // The replica on its own, as a console pointed at it by mistake would see it.
    { id: "replica", type: "standalone", url: setup.replica.url },
  ]);
});

afterAll(async () => {
  await closePubSubHubs();
  await closeAllClients();
  delete process.env.CONSOLE_CONNECTIONS;
  await setup?.stop();
});

describe("a Sentinel connection", () => {
  it("reads and edits a model on the primary the sentinels name", async () => {
    expect(await applyChanges(CONN, key, [edit("coefficient", null, "1.5")])).toMatchObject({ ok: true });
    const page = await readFieldPage(CONN, key);
    expect(page.fields.map((f) => [f.name, f.value.display])).toEqual([["coefficient", "1.5"]]);
    const primary = new Redis(setup.primary.url, { protocol: 2 });
    expect(await primary.hget(key, "coefficient")).toBe("1.5");
    primary.disconnect();
  });

  it("a write to a replica is a clear UNAVAILABLE naming the connection, never the raw READONLY", async () => {
    const refused = await applyChanges("replica", key, [edit("coefficient", "1.5", "9")]).catch(
      (error: unknown) => error,
    );
    expect(isAppError(refused)).toBe(true);
    expect(refused).toMatchObject({ code: "UNAVAILABLE" });
    expect((refused as Error).message).toBe(
      'Connection "replica" is a read-only replica right now; retry after failover.',
    );
  });

  it("finds the new primary by itself after the old one dies, and live subscriptions resume", async () => {
    const received: string[] = [];
    const gaps: { from: number; to: number | null }[] = [];
    const listener: PubSubListener = {
      onMessage: () => received.push("message"),
      onGap: (gap) => gaps.push(gap),
    };
    await pubSubHub(CONN).add("channel", Buffer.from("predictions"), listener);

    const oldPort = await setup.primaryPort();
    expect(oldPort).toBe(setup.primary.port);
    const down = performance.now();
    setup.primary.process.kill("SIGKILL");

    // Edit every 100 ms, as a user pressing Save again would, until one goes through.
    const failures = new Set<string>();
    let seen = "1.5";
    let attempt = 0;
    let editedAt: number | undefined;
    while (editedAt === undefined) {
      attempt += 1;
      const next = `2.${attempt}`;
      try {
        const result = await applyChanges(CONN, key, [edit("coefficient", seen, next)]);
        expect(result).toMatchObject({ ok: true });
        seen = next;
        editedAt = performance.now();
      } catch (error) {
        // Every refusal on the way is the console's own: down, or slow; never a raw reply.
        expect(isAppError(error), String(error)).toBe(true);
        failures.add(`${(error as { code: string }).code}: ${(error as Error).message}`);
        if (performance.now() - down > 20_000) throw new Error("no edit went through within 20 s");
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    const failoverMs = Math.round(editedAt - down);
    console.log(
      `[sentinel] primary down → first successful edit: ${failoverMs} ms (${attempt} attempts)\n` +
        `  refusals on the way: ${[...failures].join(" | ") || "none"}`,
    );
    for (const failure of failures) expect(failure).toMatch(/^(UNAVAILABLE|TIMEOUT): Connection "ha" /);

    const newPort = await setup.primaryPort();
    expect(newPort).toBe(setup.replica.port);
    const promoted = new Redis(setup.replica.url, { protocol: 2 });
    expect(await promoted.hget(key, "coefficient")).toBe(seen);

    expect(await checkHealth()).toMatchObject({
      ok: true,
      connections: [{ id: CONN, ok: true }, { ok: true }],
    });

    // The hub's subscriber reconnected to the new primary and subscribed again; the gap was told.
    await expect.poll(async () => (await promoted.publish("predictions", "after failover")) > 0).toBe(true);
    await expect.poll(() => received.length).toBeGreaterThan(0);
    expect(gaps.at(-1)?.to).not.toBeNull();
    promoted.disconnect();
    await pubSubHub(CONN).removeListener(listener);
  });
});
