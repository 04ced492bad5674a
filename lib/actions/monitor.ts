"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { publishMessage as publish } from "@/lib/monitor/channels";
import { displayBytes, typedBytes } from "@/lib/redis/keys";
import { ackEntries, createGroup } from "@/lib/streams/groups";
import { ackEntriesSchema, createGroupSchema, publishSchema } from "@/lib/validation/monitor";

// Changes made from the Monitor page: publishing, and consumer-group upkeep. Each needs the
// operator role and is audited (DESIGN.md contracts 5, 6); the payload itself is never audited.

const AUDITED_IDS = 10;

export const publishMessage = defineAction({
  name: "publishMessage",
  role: "operator",
  input: publishSchema,
  run: async ({ conn, channel, payload }) => publish(conn, typedBytes(channel), Buffer.from(payload, "utf8")),
  audit: ({ conn, channel, payload }, data) => ({
    action: "pubsub.publish",
    connection: conn,
    target: displayBytes(typedBytes(channel)),
    detail: data ? `${data.receivers} receivers` : undefined,
    count: Buffer.byteLength(payload, "utf8"),
  }),
});

export const createStreamGroup = defineAction({
  name: "createStreamGroup",
  role: "operator",
  input: createGroupSchema,
  run: async ({ conn, key, group, startId }) => createGroup(conn, key, group, startId),
  audit: ({ conn, key, group, startId }) => ({
    action: "stream.group.create",
    connection: conn,
    target: displayBytes(key),
    field: displayBytes(typedBytes(group)),
    detail: `from ${startId}`,
  }),
});

export const ackStreamEntries = defineAction({
  name: "ackStreamEntries",
  role: "operator",
  input: ackEntriesSchema,
  run: async ({ conn, key, group, ids }) => ({ acked: await ackEntries(conn, key, group, ids) }),
  audit: ({ conn, key, group, ids }, data) => ({
    action: "stream.ack",
    connection: conn,
    target: displayBytes(key),
    field: displayBytes(typedBytes(group)),
    count: data?.acked ?? ids.length,
    detail: ids.slice(0, AUDITED_IDS).join(" ") + (ids.length > AUDITED_IDS ? " …" : ""),
  }),
});
