// GET /api/streams/<key ref>/entries?conn=&start=&end=&count=&direction= — one XRANGE/XREVRANGE page.
import { defineRoute } from "@/lib/api/route";
import { resolveConnectionId } from "@/lib/request-context";
import { readEntries } from "@/lib/streams/entries";
import { streamEntriesQuerySchema } from "@/lib/validation/monitor";
import { keyFromParams } from "@/lib/validation/params";

export const GET = defineRoute({
  role: "viewer",
  query: streamEntriesQuerySchema,
  run: async ({ query, params }) =>
    readEntries(await resolveConnectionId(query.conn), keyFromParams(params), {
      start: query.start,
      end: query.end,
      count: query.count,
      direction: query.direction,
    }),
});
