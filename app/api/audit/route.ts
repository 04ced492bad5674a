// GET /api/audit?before=<id>&count=<n> — the audit log, newest first, one page at a time (admin).
import { defineRoute } from "@/lib/api/route";
import { listAudit } from "@/lib/audit";
import { auditQuerySchema } from "@/lib/validation/audit";

export const GET = defineRoute({
  role: "admin",
  query: auditQuerySchema,
  run: async ({ query }) => listAudit(query),
});
