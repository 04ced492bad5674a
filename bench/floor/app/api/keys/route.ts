// GET /api/keys?limit= — the floor's keys first page (bench/floor/work.ts).
import { floorClient, keysFirstPage } from "@/bench/floor/work";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const limit = Number(new URL(request.url).searchParams.get("limit") ?? 100);
  return Response.json(await keysFirstPage(floorClient(), limit), {
    headers: { "Cache-Control": "no-store" },
  });
}
