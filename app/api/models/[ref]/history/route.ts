// GET /api/models/<key ref>/history?conn=&before=&count= — a model's change history, newest first,
// with the fields changed outside the console since (on the first page).
import { defineRoute } from "@/lib/api/route";
import { historyDrift } from "@/lib/models/drift";
import { listHistory } from "@/lib/models/history";
import { resolveConnectionId } from "@/lib/request-context";
import { historyQuerySchema } from "@/lib/validation/models";
import { keyFromParams } from "@/lib/validation/params";

export const GET = defineRoute({
  role: "viewer",
  query: historyQuerySchema,
  run: async ({ query, params }) => {
    const connectionId = await resolveConnectionId(query.conn);
    const key = keyFromParams(params);
    const [page, drift] = await Promise.all([
      listHistory(connectionId, key, { before: query.before, count: query.count }),
      query.before ? Promise.resolve(null) : historyDrift(connectionId, key),
    ]);
    return { ...page, drift };
  },
});
