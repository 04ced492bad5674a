// GET /api/models/compare?conn=&a=<key ref>&b=<key ref> — two hashes side by side.
import { defineRoute } from "@/lib/api/route";
import { compareModels } from "@/lib/models/compare";
import { fromKeyRef } from "@/lib/redis/keys";
import { resolveConnectionId } from "@/lib/request-context";
import { compareQuerySchema } from "@/lib/validation/models";

export const GET = defineRoute({
  role: "viewer",
  query: compareQuerySchema,
  run: async ({ query }) =>
    compareModels(await resolveConnectionId(query.conn), fromKeyRef(query.a)!, fromKeyRef(query.b)!),
});
