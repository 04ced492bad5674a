// GET /api/cache/namespaces?conn=&prefix=&delimiter=&sample=&includeConsoleState= — namespaces one level below the prefix, with counts, memory, TTLs and largest keys, sampled when large.
import { defineRoute } from "@/lib/api/route";
import { listNamespaces } from "@/lib/cache/namespaces";
import { namespacesQuerySchema } from "@/lib/validation/cache";

export const GET = defineRoute({
  role: "viewer",
  query: namespacesQuerySchema,
  run: async ({ connectionId, query }) => listNamespaces(connectionId, query),
});
