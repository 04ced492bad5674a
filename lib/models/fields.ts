import "server-only";
import { AppError } from "@/lib/errors";
import { digestOf } from "@/lib/models/digest";
import type { FieldPage, ModelField } from "@/lib/models/types";
import { toAppError } from "@/lib/redis/errors";
import { displayBytes, toKeyRef } from "@/lib/redis/keys";
import { findConnection, readyClient } from "@/lib/redis/registry";
import { describeValue } from "@/lib/values/describe";

// A model's parameters, one HSCAN page at a time (never HGETALL: a hash may hold 100,000 fields).

export const MAX_PAGE = 1_000;

export function toModelField(field: Buffer, value: Buffer): ModelField {
  return {
    ref: toKeyRef(field),
    name: displayBytes(field),
    value: describeValue(value),
    digest: digestOf(value),
  };
}

/** Throws NOT_FOUND / INVALID (with the key's real type) unless `key` is a hash. */
export function assertHash(type: string, key: Buffer): void {
  if (type === "none") throw new AppError("NOT_FOUND", `There is no key named ${displayBytes(key)}.`);
  if (type !== "hash") {
    throw new AppError(
      "INVALID",
      `${displayBytes(key)} is a ${type}, not a hash: it cannot hold model parameters.`,
    );
  }
}

export async function readFieldPage(
  connectionId: string,
  key: Buffer,
  options: { cursor?: string; match?: string; count?: number } = {},
): Promise<FieldPage> {
  const config = findConnection(connectionId);
  const count = Math.min(Math.max(options.count ?? 100, 1), MAX_PAGE);
  if (options.cursor !== undefined && !/^\d+$/.test(options.cursor)) {
    throw new AppError("INVALID", "That page cursor is malformed; start from the first page.");
  }
  try {
    const client = await readyClient(connectionId);
    // One round trip: the type check, the size and the page travel together.
    const args: (string | number | Buffer)[] = [key, options.cursor ?? "0"];
    if (options.match) args.push("MATCH", options.match);
    args.push("COUNT", count);
    const [typeReply, lengthReply, scanReply] = await Promise.all([
      client.type(key),
      client.hlen(key).catch(() => 0),
      client.callBuffer("HSCAN", ...args).catch((error: unknown) => error),
    ]);
    assertHash(typeReply, key);
    if (scanReply instanceof Error) throw scanReply;
    const [next, flat] = scanReply as [Buffer, Buffer[]];
    const fields: ModelField[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) fields.push(toModelField(flat[i]!, flat[i + 1]!));
    return { fields, cursor: next.toString(), total: lengthReply };
  } catch (error) {
    throw toAppError(error, config.name);
  }
}
