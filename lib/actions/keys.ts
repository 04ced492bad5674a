"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { deleteKey, setTtl } from "@/lib/keys/write";
import { displayBytes } from "@/lib/redis/keys";
import { deleteKeySchema, setKeyTtlSchema } from "@/lib/validation/keys";

// Changes made from the keys browser: delete a key, set or remove its TTL. Operators and admins
// only (DESIGN.md contract 5), each audited with the key's display name (contract 6).

function ttlText(seconds: number | null): string {
  return seconds === null ? "none" : `${seconds}s`;
}

export const deleteKeyAction = defineAction({
  name: "deleteKeyAction",
  role: "operator",
  input: deleteKeySchema,
  run: async ({ conn, key }) => deleteKey(conn, key),
  audit: ({ conn, key }, data) => ({
    action: "key.delete",
    connection: conn,
    target: displayBytes(key),
    count: data ? Number(data.existed) : undefined,
    detail: data && !data.existed ? "the key did not exist" : undefined,
  }),
});

export const setKeyTtl = defineAction({
  name: "setKeyTtl",
  role: "operator",
  input: setKeyTtlSchema,
  run: async ({ conn, key, seconds }) => setTtl(conn, key, seconds),
  audit: ({ conn, key, seconds }, data) => ({
    action: "key.ttl",
    connection: conn,
    target: displayBytes(key),
    old: data ? ttlText(data.previousTtlSeconds) : undefined,
    new: ttlText(seconds),
  }),
});
