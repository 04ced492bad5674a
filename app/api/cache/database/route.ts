// GET /api/cache/database?conn= — the database's name (typed to confirm a flush), size, and whether console state lives there.
import { defineRoute } from "@/lib/api/route";
import { databaseInfo } from "@/lib/cache/database";
import { jobsQuerySchema } from "@/lib/validation/cache";

export const GET = defineRoute({
  role: "viewer",
  query: jobsQuerySchema,
  run: async ({ connectionId }) => databaseInfo(connectionId),
});
