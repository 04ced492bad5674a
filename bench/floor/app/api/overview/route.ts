// GET /api/overview — the floor's INFO summary (bench/floor/work.ts).
import { floorClient, overview } from "@/bench/floor/work";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  return Response.json(await overview(floorClient()), { headers: { "Cache-Control": "no-store" } });
}
