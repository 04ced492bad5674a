// GET /api/keys?conn=&pattern=&prefix=&type=&cursor=&limit=&includeConsoleState= — one budgeted SCAN page of keys with type, TTL and memory.
import { defineRoute } from "@/lib/api/route";
import { listKeys } from "@/lib/keys/list";
import { keyListQuerySchema } from "@/lib/validation/keys";

export const GET = defineRoute({
  role: "viewer",
  query: keyListQuerySchema,
  run: async ({ connectionId, query }) => listKeys(connectionId, query),
});
