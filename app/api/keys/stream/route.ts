// GET /api/keys/stream?conn=&pattern=&prefix=&type=&cursor=&includeConsoleState=&limit=&budgetMs=&budgetKeys= — every matching key with type, TTL and memory as NDJSON, until the end or the budget.
// ("stream" is never a key ref: it is not canonical base64url, so /api/keys/<ref> keeps every key.)
import { ndjsonResponse } from "@/lib/api/ndjson";
import { defineRoute } from "@/lib/api/route";
import { openKeyStream } from "@/lib/keys/stream";
import { keyStreamQuerySchema } from "@/lib/validation/keys";

export const GET = defineRoute({
  role: "viewer",
  query: keyStreamQuerySchema,
  run: async ({ connectionId, query, request }) =>
    ndjsonResponse(request, (signal) => openKeyStream(connectionId, { ...query, signal })),
});
