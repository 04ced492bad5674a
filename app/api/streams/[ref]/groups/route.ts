// GET /api/streams/<key ref>/groups?conn= — consumer groups with consumers, pending entries and lag.
import { defineRoute } from "@/lib/api/route";
import { resolveConnectionId } from "@/lib/request-context";
import { streamGroups } from "@/lib/streams/groups";
import { streamGroupsQuerySchema } from "@/lib/validation/monitor";
import { keyFromParams } from "@/lib/validation/params";

export const GET = defineRoute({
  role: "viewer",
  query: streamGroupsQuerySchema,
  run: async ({ query, params }) =>
    streamGroups(await resolveConnectionId(query.conn), keyFromParams(params)),
});
