// GET /api/keys/<key ref>?conn=&cursor=&offset=&count= — a key's metadata and one bounded page of its value, read-only.
import { defineRoute } from "@/lib/api/route";
import { readKey } from "@/lib/keys/read";
import { keyReadQuerySchema } from "@/lib/validation/keys";
import { keyParamsSchema } from "@/lib/validation/params";

export const GET = defineRoute({
  role: "viewer",
  query: keyReadQuerySchema,
  params: keyParamsSchema,
  run: async ({ connectionId, query, params }) => readKey(connectionId, params.ref, query),
});
