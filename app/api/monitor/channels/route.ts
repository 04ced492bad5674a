// GET /api/monitor/channels?conn=&pattern= — active pub/sub channels with subscriber counts, and NUMPAT.
import { defineRoute } from "@/lib/api/route";
import { listChannels } from "@/lib/monitor/channels";
import { channelListQuerySchema } from "@/lib/validation/monitor";

export const GET = defineRoute({
  role: "viewer",
  query: channelListQuerySchema,
  run: async ({ connectionId, query }) => listChannels(connectionId, { pattern: query.pattern || undefined }),
});
