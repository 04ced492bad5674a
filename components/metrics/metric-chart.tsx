"use client";

import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { ReferenceArea } from "recharts";
import { ChartLegend } from "@/components/charts/legend";
import { niceByteTicks, niceTicks } from "@/components/charts/nice";
import { TimeSeriesChart, type TimeSeries } from "@/components/charts/time-series-chart";
import { useFormat } from "@/components/ui/format";
import type { MetricsHistory, MetricsPoint } from "@/lib/metrics/history";
import type { MetricsRange } from "@/lib/metrics/ranges";

// One chart of a connection's live metrics: a caption with the figure now, the lines over the
// range, and the holes in the data drawn as holes — shaded and named — never bridged.

export type ChartName = "hitRate" | "ops" | "memory" | "keys" | "clients" | "network";

/** A row per point, plus an empty row where each gap starts so that no line bridges it. */
export type MetricsRow = Partial<MetricsPoint> & { at: number };
export type MetricsSeries = TimeSeries<MetricsRow>;

const CHART_HEIGHT = 170;
/** Wide enough for "300 MB" or "12.5k" on one line at the tick font size. */
const Y_WIDTH = 72;
/** A hole narrower than this share of the chart is shaded but not labelled (the list below names it). */
const LABELLED_GAP_SHARE = 0.3;
/** Beyond this many points, dots would blur into a band. */
const DOTS = { upTo: 400, r: 1.5, strokeWidth: 1 };
export const GAP_FILL = { unreachable: "#fecaca", "not-sampled": "#e2e8f0" } as const;

function rowsOf(history: MetricsHistory): MetricsRow[] {
  const rows: MetricsRow[] = [...history.points];
  for (const gap of history.gaps) rows.push({ at: gap.from });
  return rows.sort((a, b) => a.at - b.at);
}

/** Round ticks from 0 to just above the largest value the left axis draws. */
function leftTicks(rows: MetricsRow[], series: MetricsSeries[], scale: "count" | "bytes"): number[] {
  let max = 0;
  for (const row of rows) {
    for (const s of series) {
      if ((s.axis ?? "left") !== "left") continue;
      const value = s.value(row);
      if (typeof value === "number" && Number.isFinite(value)) max = Math.max(max, value);
    }
  }
  if (scale === "bytes") return niceByteTicks(max, 4);
  return max > 0 ? niceTicks(0, max, 5) : [0, 1];
}

export function MetricChart({
  id,
  title,
  now,
  history,
  range,
  series,
  format,
  rightFormat,
  domain,
  scale = "count",
}: {
  id: ChartName;
  title: string;
  now: ReactNode;
  history: MetricsHistory;
  range: MetricsRange;
  series: MetricsSeries[];
  format: (value: number) => string;
  rightFormat?: (value: number) => string;
  domain?: [number, number];
  /** How the left axis' round ticks are chosen; "bytes" rounds in the unit shown (100 MB, 200 MB). */
  scale?: "count" | "bytes";
}) {
  const t = useTranslations("metrics");
  const f = useFormat();
  const rows = rowsOf(history);
  const ticks = domain ? niceTicks(domain[0], domain[1], 5) : leftTicks(rows, series, scale);
  const span = Math.max(1, history.to - history.from);
  return (
    <figure className="flex min-w-0 flex-col gap-2" data-testid={`chart-${id}`}>
      <figcaption className="flex flex-wrap items-baseline justify-between gap-x-3">
        <span className="text-sm font-semibold text-slate-700">{title}</span>
        <span className="text-xs text-slate-600 tabular-nums" data-testid={`chart-${id}-now`}>
          {now}
        </span>
      </figcaption>
      <TimeSeriesChart
        rows={rows}
        series={series}
        title={t("chartTitle", { title, range: t(`ranges.${range}`) })}
        height={CHART_HEIGHT}
        // Seconds matter on the 1-minute chart only.
        x={{
          domain: [history.from, history.to],
          format: (ms) => (range === "1m" ? f.clock(ms) : f.clock(ms).slice(0, 5)),
        }}
        y={{ ticks, width: Y_WIDTH, format }}
        right={rightFormat && { width: 44, format: rightFormat }}
        tooltip={{
          label: (at) => `${f.clock(at)} UTC`,
          value: (value, s) => (s.axis === "right" && rightFormat ? rightFormat : format)(value),
        }}
        dots={DOTS}
      >
        {history.gaps.map((gap) => (
          <ReferenceArea
            key={`${gap.from}-${gap.reason}`}
            yAxisId="left"
            x1={Math.max(gap.from, history.from)}
            x2={gap.to ?? history.to}
            fill={GAP_FILL[gap.reason]}
            fillOpacity={0.6}
            ifOverflow="hidden"
            label={
              ((gap.to ?? history.to) - Math.max(gap.from, history.from)) / span >= LABELLED_GAP_SHARE
                ? { value: t(`gapLabel.${gap.reason}`), position: "insideTop", fontSize: 10, fill: "#64748b" }
                : undefined
            }
          />
        ))}
      </TimeSeriesChart>
      <ChartLegend items={series.map(({ name, color, dashed, data }) => ({ name, color, dashed, data }))} />
    </figure>
  );
}
