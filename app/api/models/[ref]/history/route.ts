// GET /api/models/<key ref>/history?conn=&before=&count= — a model's change history, newest first,
// with the fields changed outside the console since (on the first page).
import { defineRoute } from "@/lib/api/route";
import { historyDrift } from "@/lib/models/drift";
import { listHistory } from "@/lib/models/history";
import { historyQuerySchema } from "@/lib/validation/models";
import { keyParamsSchema } from "@/lib/validation/params";

export const GET = defineRoute({
  role: "viewer",
  query: historyQuerySchema,
  params: keyParamsSchema,
  run: async ({ connectionId, query, params: { ref: key } }) => {
    const [page, drift] = await Promise.all([
      listHistory(connectionId, key, query),
      query.before ? Promise.resolve(null) : historyDrift(connectionId, key),
    ]);
    return { ...page, drift };
  },
});
