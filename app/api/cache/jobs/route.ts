// GET /api/cache/jobs?conn= — the connection's flush and count jobs, running or finished within the hour, newest first.
import { defineRoute } from "@/lib/api/route";
import { listJobs } from "@/lib/cache/jobs";
import { jobsQuerySchema } from "@/lib/validation/cache";

export const GET = defineRoute({
  role: "viewer",
  query: jobsQuerySchema,
  run: async ({ connectionId }) => ({ jobs: await listJobs(connectionId) }),
});
