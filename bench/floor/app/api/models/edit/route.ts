// POST /api/models/edit — the floor's compare-and-set edit, with the body the edit dialog sends the
// applyModelChanges action (bench/floor/work-models.ts).
import { floorClient } from "@/bench/floor/work";
import { compareAndSet, type EditRequest } from "@/bench/floor/work-models";

export async function POST(request: Request): Promise<Response> {
  const [edit] = (await request.json()) as EditRequest[];
  return Response.json(await compareAndSet(floorClient(), edit!), {
    headers: { "Cache-Control": "no-store" },
  });
}
