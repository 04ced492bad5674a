// The floors' Redis work for the models rows (issue 15; see bench/floor/work.ts): the models list's
// first page and a single-field compare-and-set edit, as plain ioredis calls mirroring lib/models.
import { randomBytes } from "node:crypto";
import type Redis from "ioredis";
import { CONNECTION, isStateKey, runScript, STATE } from "@/bench/floor/work";
import { parseModelKey } from "@/lib/models/naming";
import { APPLY_CHANGES } from "@/lib/models/write";
import { displayBytes, fromKeyRef, toKeyRef } from "@/lib/redis/keys";
import { describeValue } from "@/lib/values/describe";

// ——— models list first page: pinned hashes, SCAN model:* TYPE hash within the budget, metadata ———

const MODEL_PATTERN = "model:*";
const PAGE = 100;
const SCAN_CALLS = 100;

/** lib/models/by-values: persistent, ≤ 64 fields, more than half of them numbers, a name not ending in an id. */
async function parameterSets(client: Redis, candidates: Buffer[]): Promise<Buffer[]> {
  const id = /:(\d+|[0-9a-f]{8,}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
  const keys = candidates.filter((key) => !id.test(key.toString("latin1")));
  if (keys.length === 0) return [];
  const shapes = client.pipeline();
  for (const key of keys) shapes.hlen(key).pttl(key);
  const replies = ((await shapes.exec()) ?? []).map(([, value]) => Number(value));
  const small = keys.filter(
    (_, i) => replies[i * 2 + 1] === -1 && replies[i * 2]! >= 1 && replies[i * 2]! <= 64,
  );
  if (small.length === 0) return [];
  const pages = client.pipeline();
  for (const key of small) pages.hscanBuffer(key, "0", "COUNT", 64);
  const scanned = (await pages.exec()) ?? [];
  return small.filter((_, i) => {
    const flat = ((scanned[i]?.[1] as [Buffer, Buffer[]] | undefined)?.[1] ?? []).filter(
      (_, j) => j % 2 === 1,
    );
    const numbers = flat.filter((value) => ["integer", "float"].includes(describeValue(value, 64).kind));
    return flat.length > 0 && numbers.length * 2 > flat.length;
  });
}

export async function modelsFirstPage(client: Redis) {
  const [, pinned] = await client.sscanBuffer(`${STATE}models:pinned:${CONNECTION.id}`, "0", "COUNT", 500);
  const leadingTypes = Promise.all(pinned.map((key) => client.type(key)));
  const found = new Map<string, Buffer>();
  const byValues = new Set<string>();
  let calls = 0;
  let cursor = "";
  for (const [phase, match] of [MODEL_PATTERN, "*"].entries()) {
    let position = "0";
    const valuePhase = phase === 1;
    const keys: Buffer[] = [];
    while (calls < SCAN_CALLS && keys.length < (valuePhase ? 1_000 : PAGE - found.size)) {
      const [next, page] = await client.scanBuffer(position, "MATCH", match, "COUNT", 1_000, "TYPE", "hash");
      calls += 1;
      keys.push(...page);
      position = next.toString();
      if (position === "0") break;
    }
    const candidates = valuePhase
      ? keys.filter((key) => !isStateKey(key) && !key.toString("latin1").startsWith("model:"))
      : keys;
    for (const key of valuePhase ? await parameterSets(client, candidates) : candidates) {
      found.set(toKeyRef(key), key);
      if (valuePhase) byValues.add(toKeyRef(key));
    }
    if (position !== "0") {
      cursor = `${phase}:0-${position}`;
      break;
    }
    if (calls >= SCAN_CALLS || found.size >= PAGE) break;
  }
  const types = await leadingTypes;
  const keys = [...pinned.filter((_, i) => types[i] === "hash"), ...found.values()];
  const history = client.pipeline();
  for (const key of keys)
    history.xrevrange(`${STATE}history:${CONNECTION.id}:${toKeyRef(key)}`, "+", "-", "COUNT", 1);
  const [dbSize, metadata, changes] = await Promise.all([
    client.dbsize(),
    Promise.all(
      keys.map((key) => Promise.all([client.hlen(key), client.memory("USAGE", key), client.pttl(key)])),
    ),
    history.exec(),
  ]);
  const rows = keys.map((key, i) => {
    const [fields, memory, pttl] = metadata[i]!;
    const newest = (changes?.[i]?.[1] as [string, string[]][] | undefined)?.[0];
    return {
      ref: toKeyRef(key),
      key: displayBytes(key),
      ...parseModelKey(key),
      fields,
      memoryBytes: memory ?? null,
      ttlSeconds: pttl >= 0 ? Math.ceil(pttl / 1000) : null,
      lastChange: newest ? { at: Number(newest[0].split("-")[0]), user: newest[1][1] ?? "" } : null,
      pinned: i < keys.length - found.size,
      byValues: byValues.has(toKeyRef(key)),
    };
  });
  const examined = Math.min(calls * 1_000, dbSize);
  return { ok: true, data: { rows, cursor, examined, dbSize, patterns: [MODEL_PATTERN] } };
}

// ——— single-field edit: the compare-and-set script, then the history entry and the audit entry ———

/** What the edit dialog posts (the applyModelChanges action's argument): key, field, digest, value as refs. */
export interface EditRequest {
  key: string;
  changes: { field: string; expected: string; value: string }[];
}

const stored = (value: Buffer | null) => (value ? `=${value.toString("base64url")}` : "-");

export async function compareAndSet(client: Redis, request: EditRequest) {
  const key = fromKeyRef(request.key) ?? Buffer.alloc(0);
  const change = request.changes[0]!;
  const [field, value] = [fromKeyRef(change.field)!, fromKeyRef(change.value)!];
  const reply = (await runScript(
    client,
    APPLY_CHANGES.source,
    [key],
    ["1", field, change.expected, "set", value],
  )) as [Buffer, Buffer | null];
  if (String(reply[0]) !== "ok")
    return { ok: false, error: { code: "CONFLICT", message: "changed meanwhile" } };
  const old = reply[1] ?? null;
  const entry = [
    "user",
    "admin",
    "op",
    "set",
    "batch",
    randomBytes(8).toString("hex"),
    "field",
    change.field,
  ];
  // The console's history and audit streams, under the bench's own prefix so the console's stay its own.
  // One XADD each (one entry needs no MULTI), sent together: they share one round trip.
  const history = `bench:floor:history:${request.key}`;
  const sample = { field: displayBytes(field), old: old && displayBytes(old), new: displayBytes(value) };
  await Promise.all([
    client.xadd(history, "MAXLEN", "~", "10000", "*", ...entry, "old", stored(old), "new", stored(value)),
    client.xadd(
      "bench:floor:audit",
      "MAXLEN",
      "~",
      "100000",
      "*",
      ...["action", "model.set", "connection", CONNECTION.id, "target", displayBytes(key)],
      ...["field", sample.field, "old", sample.old ?? "", "new", sample.new, "outcome", "ok"],
      ...["user", "admin", "role", "admin", "address", CONNECTION.address, "at", String(Date.now())],
    ),
  ]);
  return { ok: true, data: { key: request.key, applied: 1, sample: [sample], historyRecorded: true } };
}
