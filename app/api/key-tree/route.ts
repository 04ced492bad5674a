// GET /api/key-tree?conn=&prefix=&delimiter=&cursor=&limit=&includeConsoleState= — one level of the key tree: sampled folders and the keys at that level.
import { defineRoute } from "@/lib/api/route";
import { keyTree } from "@/lib/keys/list";
import { keyTreeQuerySchema } from "@/lib/validation/keys";

export const GET = defineRoute({
  role: "viewer",
  query: keyTreeQuerySchema,
  run: async ({ connectionId, query }) => keyTree(connectionId, query),
});
