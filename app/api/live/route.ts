// GET /api/live?conn=<id> — the tab's one SSE stream: channel, pattern and stream messages it watches.
import { defineRoute } from "@/lib/api/route";
import { openLiveClient } from "@/lib/live/client";
import { resolveConnectionId } from "@/lib/request-context";
import { connectionQuerySchema } from "@/lib/validation/connection";

export const GET = defineRoute({
  role: "viewer",
  query: connectionQuerySchema,
  run: async ({ query, session, request }) => {
    const client = openLiveClient(
      await resolveConnectionId(query.conn),
      session!.username,
      session!.expiresAt,
    );
    // Clean-up runs on either signal; LiveClient.close is idempotent.
    request.signal.addEventListener("abort", () => void client.close("the browser went away"), {
      once: true,
    });
    return new Response(client.stream, {
      headers: {
        "Content-Type": "text/event-stream; charset=utf-8",
        "Cache-Control": "no-cache, no-transform",
        "X-Accel-Buffering": "no",
        Connection: "keep-alive",
      },
    });
  },
});
