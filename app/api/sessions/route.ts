// GET /api/sessions?offset=<n>&count=<n> — active sessions, newest first (admin).
import { defineRoute } from "@/lib/api/route";
import { listStoredSessions } from "@/lib/auth/session-store";
import { sessionsQuerySchema } from "@/lib/validation/auth";

export const GET = defineRoute({
  role: "admin",
  query: sessionsQuerySchema,
  run: async ({ query, session }) => ({ ...(await listStoredSessions(query)), current: session.id }),
});
