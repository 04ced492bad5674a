// GET /api/cache/jobs/<id> — one job's progress (scanned, deleted, rate, time left) or final state.
import { defineRoute } from "@/lib/api/route";
import { getJob } from "@/lib/cache/jobs";
import { AppError } from "@/lib/errors";
import { jobIdSchema } from "@/lib/validation/cache";

export const GET = defineRoute({
  role: "viewer",
  run: async ({ params }) => {
    const id = jobIdSchema.safeParse(params.id);
    if (!id.success) throw new AppError("INVALID", "That link does not name a job.");
    return getJob(id.data);
  },
});
