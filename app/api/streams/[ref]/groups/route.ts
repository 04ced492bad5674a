// GET /api/streams/<key ref>/groups?conn= — consumer groups with consumers, pending entries and lag.
import { defineRoute } from "@/lib/api/route";
import { streamGroups } from "@/lib/streams/groups";
import { streamGroupsQuerySchema } from "@/lib/validation/monitor";
import { keyParamsSchema } from "@/lib/validation/params";

export const GET = defineRoute({
  role: "viewer",
  query: streamGroupsQuerySchema,
  params: keyParamsSchema,
  run: async ({ connectionId, params }) => streamGroups(connectionId, params.ref),
});
