// GET /api/slowlog?conn=&limit= — the newest SLOWLOG entries of every data node, with the thresholds that decide what is logged.
import { defineRoute } from "@/lib/api/route";
import { readSlowLog } from "@/lib/slowlog/read";
import { slowLogQuerySchema } from "@/lib/validation/slowlog";

export const GET = defineRoute({
  role: "viewer",
  query: slowLogQuerySchema,
  run: async ({ connectionId, query }) => readSlowLog(connectionId, query),
});
