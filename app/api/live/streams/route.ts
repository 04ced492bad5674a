// GET /api/live/streams — how many live streams (and tab channels) this session holds here.
import { defineRoute } from "@/lib/api/route";
import { liveStreamsOf } from "@/lib/live/browser-stream";

export const GET = defineRoute({
  role: "viewer",
  run: async ({ session }) => liveStreamsOf(session.id),
});
