// GET /api/streams?conn=&cursor=&search= — streams (SCAN … TYPE stream), one budgeted page at a time.
import { defineRoute } from "@/lib/api/route";
import { listStreams } from "@/lib/streams/list";
import { streamListQuerySchema } from "@/lib/validation/monitor";

export const GET = defineRoute({
  role: "viewer",
  query: streamListQuerySchema,
  run: async ({ connectionId, query }) => listStreams(connectionId, query),
});
