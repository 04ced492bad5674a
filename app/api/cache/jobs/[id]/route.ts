// GET /api/cache/jobs/<id> — one job's progress (scanned, deleted, rate, time left) or final state.
import { defineRoute } from "@/lib/api/route";
import { getJob, jobFor } from "@/lib/cache/jobs";
import { errorTranslator } from "@/lib/i18n/server";
import { jobParamsSchema } from "@/lib/validation/params";

export const GET = defineRoute({
  role: "viewer",
  params: jobParamsSchema,
  run: async ({ params }) => jobFor(await getJob(params.id), await errorTranslator()),
});
