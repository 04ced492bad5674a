// GET /api/audit?before=<id>&count=<n> — the audit log, newest first, one page at a time, and how
// many entries wait on disk for the stream (admin).
import { defineRoute } from "@/lib/api/route";
import { auditBacklog, listAudit, type AuditLogAnswer } from "@/lib/audit";
import { errorTranslator } from "@/lib/i18n/server";
import { auditQuerySchema } from "@/lib/validation/audit";

export const GET = defineRoute({
  role: "admin",
  query: auditQuerySchema,
  run: async ({ query }): Promise<AuditLogAnswer> => {
    const [page, backlog] = await Promise.all([listAudit(query), errorTranslator().then(auditBacklog)]);
    return { ...page, backlog };
  },
});
