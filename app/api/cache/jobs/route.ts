// GET /api/cache/jobs?conn= — the connection's flush and count jobs, running or finished within the hour, newest first.
import { defineRoute } from "@/lib/api/route";
import { jobFor, listJobs } from "@/lib/cache/jobs";
import { errorTranslator } from "@/lib/i18n/server";
import { jobsQuerySchema } from "@/lib/validation/cache";

export const GET = defineRoute({
  role: "viewer",
  query: jobsQuerySchema,
  run: async ({ connectionId }) => {
    const translate = await errorTranslator();
    return { jobs: (await listJobs(connectionId)).map((job) => jobFor(job, translate)) };
  },
});
