import "server-only";
import { defaultDelimiter } from "@/lib/keys/list";
import { runCommands } from "@/lib/keys/metadata";
import type { RedisClient } from "@/lib/redis/client";
import { describeValue } from "@/lib/values/describe";

// Hashes that look like parameter sets although no model pattern names them: the classic
// `HSET linear_regression coefficient 1.5 intercept 2.3` a team writes from its own code. The rule
// (README, Models): a hash that does not expire, with at most PARAMETER_SET_MAX_FIELDS fields,
// more than half of whose values are numbers (integers or decimals), and whose name does not end
// in an id (`feature:churn:1042`, `user:9f86d081…`): those are one entity's features among
// thousands of the same shape, not a model.

export const PARAMETER_SET_MAX_FIELDS = 64;

const ID_SEGMENT = /^(\d+|[0-9a-f]{8,}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** Whether the key's last segment (after the keys delimiter) is a number, a hash or a UUID. */
export function endsInId(key: Buffer, delimiter = defaultDelimiter()): boolean {
  const text = key.toString("latin1");
  const at = delimiter ? text.lastIndexOf(delimiter) : -1;
  return at >= 0 && ID_SEGMENT.test(text.slice(at + delimiter.length));
}

/** The rule on what one HSCAN call read; pure, so it is unit-tested. */
export function looksLikeParameters(fieldCount: number, pttl: number, values: Buffer[]): boolean {
  if (pttl !== -1 || fieldCount < 1 || fieldCount > PARAMETER_SET_MAX_FIELDS || values.length === 0) {
    return false;
  }
  const numeric = values.filter((value) => {
    const kind = describeValue(value, 64).kind;
    return kind === "integer" || kind === "float";
  }).length;
  return numeric * 2 > values.length;
}

/**
 * The hashes among `keys` that look like parameter sets. Two pipelined round trips: HLEN and PTTL
 * of every key, then one HSCAN (COUNT = the field limit, so a small hash comes back whole) of
 * those small and persistent enough.
 */
export async function parameterSets(client: RedisClient, candidates: Buffer[]): Promise<Buffer[]> {
  const delimiter = defaultDelimiter();
  const keys = candidates.filter((key) => !endsInId(key, delimiter));
  const shapes = await runCommands(
    client,
    keys.flatMap((key) => [
      ["HLEN", key],
      ["PTTL", key],
    ]),
  );
  const small = keys
    .map((key, i) => ({ key, fields: Number(shapes[i * 2]), pttl: Number(shapes[i * 2 + 1]) }))
    .filter((shape) => shape.pttl === -1 && shape.fields >= 1 && shape.fields <= PARAMETER_SET_MAX_FIELDS);
  const pages = await runCommands(
    client,
    small.map(({ key }) => ["HSCAN", key, "0", "COUNT", PARAMETER_SET_MAX_FIELDS]),
  );
  return small
    .filter((shape, i) => {
      const page = pages[i];
      if (!Array.isArray(page)) return false;
      const flat = (page[1] ?? []) as Buffer[];
      const values = flat.filter((_, index) => index % 2 === 1);
      return looksLikeParameters(shape.fields, shape.pttl, values);
    })
    .map((shape) => shape.key);
}
