// GET /api/health — liveness for probes: 200 when every connection answers PING, 503 naming those that don't.
import { defineRoute, jsonAnswer } from "@/lib/api/route";
import { checkHealth } from "@/lib/health";

export const GET = defineRoute({
  role: "public",
  run: async () => {
    const report = await checkHealth();
    const failing = report.connections.filter((c) => !c.ok).map((c) => c.id);
    return jsonAnswer(
      { status: report.ok ? "ok" : "unavailable", failing, connections: report.connections },
      report.ok ? 200 : 503,
    );
  },
});
