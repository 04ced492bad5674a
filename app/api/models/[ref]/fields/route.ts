// GET /api/models/<key ref>/fields?conn=&cursor=&match=&count= — one HSCAN page of a model's parameters.
import { defineRoute } from "@/lib/api/route";
import { readFieldPage } from "@/lib/models/fields";
import { resolveConnectionId } from "@/lib/request-context";
import { keyFromParams } from "@/lib/validation/params";
import { fieldPageQuerySchema } from "@/lib/validation/models";

export const GET = defineRoute({
  role: "viewer",
  query: fieldPageQuerySchema,
  run: async ({ query, params }) =>
    readFieldPage(await resolveConnectionId(query.conn), keyFromParams(params), {
      cursor: query.cursor,
      match: query.match,
      count: query.count,
    }),
});
