// GET /api/models/<key ref>/export?conn=&format=json|csv — download a model's parameters.
import { defineRoute } from "@/lib/api/route";
import { exportModel } from "@/lib/models/export";
import { parseModelKey } from "@/lib/models/naming";
import { exportQuerySchema } from "@/lib/validation/models";
import { keyParamsSchema } from "@/lib/validation/params";

export const GET = defineRoute({
  role: "viewer",
  query: exportQuerySchema,
  params: keyParamsSchema,
  run: async ({ connectionId, query, params: { ref: key } }) => {
    const body = await exportModel(connectionId, key, query.format);
    const { name, version } = parseModelKey(key);
    const filename = `${name.replace(/[^A-Za-z0-9._-]+/g, "_")}${version === null ? "" : `-v${version}`}.${query.format}`;
    return new Response(body, {
      headers: {
        "Content-Type":
          query.format === "json" ? "application/json; charset=utf-8" : "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${filename}"`,
        "Cache-Control": "no-store",
      },
    });
  },
});
