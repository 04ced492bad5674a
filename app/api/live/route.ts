// GET /api/live — the browser's one SSE stream; its tabs join it through POST /api/live/watch.
import { defineRoute } from "@/lib/api/route";
import { readStoredSession } from "@/lib/auth/session-store";
import { requestLocale } from "@/lib/i18n/request";
import { openBrowserStream } from "@/lib/live/browser-stream";

export const GET = defineRoute({
  role: "viewer",
  run: async ({ session, request }) => {
    const { id, username, expiresAt, anonymous } = session;
    const stream = openBrowserStream(username, expiresAt, {
      id,
      stillValid: anonymous ? undefined : async () => (await readStoredSession(id)) !== null,
      locale: await requestLocale(),
    });
    // Clean-up runs on either signal; BrowserStream.close is idempotent.
    request.signal.addEventListener("abort", () => void stream.close("the browser went away"), {
      once: true,
    });
    return new Response(stream.stream, {
      headers: {
        "Content-Type": "text/event-stream; charset=utf-8",
        "Cache-Control": "no-cache, no-transform",
        "X-Accel-Buffering": "no",
        Connection: "keep-alive",
      },
    });
  },
});
