// GET /api/cache/jobs/<id> — one job's progress (scanned, deleted, rate, time left) or final state.
import { defineRoute } from "@/lib/api/route";
import { getJob } from "@/lib/cache/jobs";
import { jobParamsSchema } from "@/lib/validation/params";

export const GET = defineRoute({
  role: "viewer",
  params: jobParamsSchema,
  run: async ({ params }) => getJob(params.id),
});
