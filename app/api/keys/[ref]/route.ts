// GET /api/keys/<key ref>?conn=&cursor=&offset=&count= — a key's metadata and one bounded page of its value, read-only.
import { defineRoute } from "@/lib/api/route";
import { readKey } from "@/lib/keys/read";
import { resolveConnectionId } from "@/lib/request-context";
import { keyReadQuerySchema } from "@/lib/validation/keys";
import { keyFromParams } from "@/lib/validation/params";

export const GET = defineRoute({
  role: "viewer",
  query: keyReadQuerySchema,
  run: async ({ query: { conn, ...options }, params }) =>
    readKey(await resolveConnectionId(conn), keyFromParams(params), options),
});
