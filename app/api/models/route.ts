// GET /api/models?conn=&cursor=&search= — model hashes, one budgeted SCAN page at a time.
import { defineRoute } from "@/lib/api/route";
import { listModels } from "@/lib/models/list";
import { modelListQuerySchema } from "@/lib/validation/models";

export const GET = defineRoute({
  role: "viewer",
  query: modelListQuerySchema,
  run: async ({ connectionId, query }) => listModels(connectionId, query),
});
