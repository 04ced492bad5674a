// GET /api/health — the floor's PING (bench/floor/work.ts).
import { floorClient, health } from "@/bench/floor/work";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  return Response.json(await health(floorClient()), { headers: { "Cache-Control": "no-store" } });
}
