// GET /metrics — Prometheus scrape (Bearer CONSOLE_METRICS_TOKEN; 404 when unset).
import { scrapeMetrics } from "@/lib/metrics/prometheus/scrape";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  return scrapeMetrics(request);
}
