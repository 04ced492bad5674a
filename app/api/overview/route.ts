// GET /api/overview?conn=<id> — the Overview page's INFO snapshot for one connection.
import { defineRoute } from "@/lib/api/route";
import { getOverview } from "@/lib/overview";
import { resolveConnectionId } from "@/lib/request-context";
import { connectionQuerySchema } from "@/lib/validation/connection";

export const GET = defineRoute({
  role: "viewer",
  query: connectionQuerySchema,
  run: async ({ query }) => getOverview(await resolveConnectionId(query.conn)),
});
