"use client";

import { useState } from "react";
import { chartsFor } from "@/components/metrics/chart-specs";
import { GAP_FILL, type ChartName } from "@/components/metrics/metric-chart";
import { useMetrics } from "@/components/metrics/use-metrics";
import { formatClock, formatSpan } from "@/components/monitor/live-format";
import { Notice } from "@/components/ui/notice";
import { ToggleGroup } from "@/components/ui/toggle-group";
import type { MetricsGap } from "@/lib/metrics/history";
import { METRICS_RANGE_NAMES, METRICS_RANGES, type MetricsRange } from "@/lib/metrics/ranges";

// The live charts of a connection (issue: metrics and hit rate): one range at a time, all charts
// sharing its time axis. Holes in the data are drawn as holes — shaded and named — never bridged.

function GapList({ gaps, to }: { gaps: MetricsGap[]; to: number }) {
  if (gaps.length === 0) return null;
  return (
    <ul className="flex flex-col gap-0.5 text-xs text-slate-600" data-testid="metrics-gaps">
      {gaps.slice(-4).map((gap) => (
        <li key={`${gap.from}-${gap.reason}`} className="flex items-center gap-2">
          <span
            aria-hidden
            className="inline-block h-3 w-3 rounded-sm"
            style={{ background: GAP_FILL[gap.reason] }}
          />
          {gap.reason === "unreachable" ? "Redis did not answer" : "Nobody was sampling"} from{" "}
          {formatClock(gap.from)}
          {gap.to === null
            ? ` UTC until now (${formatSpan(to - gap.from)})`
            : ` to ${formatClock(gap.to)} UTC (${formatSpan(gap.to - gap.from)})`}
          : no figures for that span.
        </li>
      ))}
    </ul>
  );
}

/**
 * Live charts of one connection from its metrics sampler (INFO once a second, whatever the number
 * of viewers): `charts` chooses which, in that order.
 */
export function MetricsCharts({
  connectionId,
  title,
  charts,
}: {
  connectionId: string;
  title: string;
  charts: ChartName[];
}) {
  const [range, setRange] = useState<MetricsRange>("1m");
  const feed = useMetrics(connectionId, range);
  const snapshot = feed.snapshot;
  const latest = snapshot?.latest;
  const how = feed.streaming
    ? "live over this page's stream"
    : `polling every ${formatSpan(METRICS_RANGES[range].pollMs)} while the live stream is ${feed.live.status}`;

  return (
    <section
      className="rounded-xl border border-slate-200 bg-white shadow-sm"
      aria-label={title}
      data-testid="metrics-charts"
      data-sampled-at={latest?.point?.at}
    >
      <header className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-100 px-5 py-3">
        <div className="flex flex-col">
          <h2 className="text-sm font-semibold text-slate-700">{title}</h2>
          <p className="text-xs text-slate-500" data-testid="metrics-source">
            INFO every second, {how}
            {snapshot && snapshot.history.stepMs > 1_000
              ? `; a point per ${formatSpan(snapshot.history.stepMs)}`
              : ""}
            .
          </p>
        </div>
        <ToggleGroup
          label="Chart range"
          options={METRICS_RANGE_NAMES}
          value={range}
          onChange={setRange}
          optionTitle={(name) => `Last ${METRICS_RANGES[name].label}`}
        />
      </header>
      <div className="flex flex-col gap-4 p-5">
        {feed.error && (
          <Notice tone={snapshot ? "warning" : "error"} title="The charts could not be updated">
            {feed.error.message} The page tries again by itself.
          </Notice>
        )}
        {latest?.state === "unreachable" && (
          <Notice tone="warning" title="Redis is not answering">
            No reading since {latest.since ? `${formatClock(latest.since)} UTC` : "the start"}; the charts
            show the gap and carry on when it answers again.
          </Notice>
        )}
        {!snapshot && !feed.error && <p className="text-sm text-slate-500">Loading the charts…</p>}
        {snapshot && (
          <>
            <div className="grid grid-cols-1 gap-x-8 gap-y-6 xl:grid-cols-2">
              {chartsFor(snapshot, range, charts)}
            </div>
            <GapList gaps={snapshot.history.gaps} to={snapshot.history.to} />
          </>
        )}
      </div>
    </section>
  );
}
