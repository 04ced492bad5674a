// GET /api/models/compare?conn=&a=<key ref>&b=<key ref> — two hashes side by side.
import { defineRoute } from "@/lib/api/route";
import { compareModels } from "@/lib/models/compare";
import { compareQuerySchema } from "@/lib/validation/models";

export const GET = defineRoute({
  role: "viewer",
  query: compareQuerySchema,
  run: async ({ connectionId, query }) => compareModels(connectionId, query.a, query.b),
});
