// POST /api/live/watch — change what a tab's SSE stream carries, without opening another stream.
import { defineRoute } from "@/lib/api/route";
import { findLiveClient } from "@/lib/live/client";
import { watchSchema } from "@/lib/validation/live";

export const POST = defineRoute({
  role: "viewer",
  body: watchSchema,
  run: async ({ body, session }) => {
    const client = findLiveClient(body.client, session!.username);
    if (body.remove.length) await client.unwatch(body.remove);
    if (body.add.length) await client.watch(body.add);
    return { watching: client.targets };
  },
});
