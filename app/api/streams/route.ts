// GET /api/streams?conn=&cursor=&search= — streams (SCAN … TYPE stream), one budgeted page at a time.
import { defineRoute } from "@/lib/api/route";
import { resolveConnectionId } from "@/lib/request-context";
import { listStreams } from "@/lib/streams/list";
import { streamListQuerySchema } from "@/lib/validation/monitor";

export const GET = defineRoute({
  role: "viewer",
  query: streamListQuerySchema,
  run: async ({ query }) =>
    listStreams(await resolveConnectionId(query.conn), { cursor: query.cursor, search: query.search }),
});
