// POST /api/live/watch — a tab joins its browser's stream, changes what it watches, or leaves.
import { defineRoute } from "@/lib/api/route";
import { findBrowserStream } from "@/lib/live/browser-stream";
import { resolveConnectionId } from "@/lib/request-context";
import { watchSchema } from "@/lib/validation/live";

export const POST = defineRoute({
  role: "viewer",
  body: watchSchema,
  run: async ({ body, session }) => {
    const stream = findBrowserStream(body.client, session.username);
    if (body.leave) {
      await stream.leave(body.tab);
      return { watching: [] };
    }
    const tab = stream.tab(body.tab) ?? stream.join(body.tab, await resolveConnectionId(body.conn));
    if (body.remove.length) await tab.unwatch(body.remove);
    if (body.add.length) await tab.watch(body.add);
    return { watching: tab.targets };
  },
});
