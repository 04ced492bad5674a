// GET /api/overview?conn=<id> — the Overview page's INFO snapshot for one connection.
import { defineRoute } from "@/lib/api/route";
import { getOverview } from "@/lib/overview";
import { connectionQuerySchema } from "@/lib/validation/connection";

export const GET = defineRoute({
  role: "viewer",
  query: connectionQuerySchema,
  run: async ({ connectionId }) => getOverview(connectionId),
});
