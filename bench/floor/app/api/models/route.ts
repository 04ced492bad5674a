// GET /api/models — the floor's models list first page (bench/floor/work-models.ts).
import { floorClient } from "@/bench/floor/work";
import { modelsFirstPage } from "@/bench/floor/work-models";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  return Response.json(await modelsFirstPage(floorClient()), { headers: { "Cache-Control": "no-store" } });
}
