// GET /api/models/<key ref>/fields?count= — the floor's first HSCAN page (bench/floor/work.ts).
import { fieldPage, floorClient } from "@/bench/floor/work";

export const dynamic = "force-dynamic";

export async function GET(
  request: Request,
  { params }: { params: Promise<{ ref: string }> },
): Promise<Response> {
  const count = Number(new URL(request.url).searchParams.get("count") ?? 100);
  const { ref } = await params;
  return Response.json(await fieldPage(floorClient(), ref, count), {
    headers: { "Cache-Control": "no-store" },
  });
}
