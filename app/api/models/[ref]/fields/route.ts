// GET /api/models/<key ref>/fields?conn=&cursor=&match=&count= — one HSCAN page of a model's parameters.
import { defineRoute } from "@/lib/api/route";
import { readFieldPage } from "@/lib/models/fields";
import { fieldPageQuerySchema } from "@/lib/validation/models";
import { keyParamsSchema } from "@/lib/validation/params";

export const GET = defineRoute({
  role: "viewer",
  query: fieldPageQuerySchema,
  params: keyParamsSchema,
  run: async ({ connectionId, query, params }) => readFieldPage(connectionId, params.ref, query),
});
