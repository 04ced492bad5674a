// GET /api/streams/<key ref>/entries?conn=&start=&end=&count=&direction= — one XRANGE/XREVRANGE page.
import { defineRoute } from "@/lib/api/route";
import { readEntries } from "@/lib/streams/entries";
import { streamEntriesQuerySchema } from "@/lib/validation/monitor";
import { keyParamsSchema } from "@/lib/validation/params";

export const GET = defineRoute({
  role: "viewer",
  query: streamEntriesQuerySchema,
  params: keyParamsSchema,
  run: async ({ connectionId, query, params }) => readEntries(connectionId, params.ref, query),
});
