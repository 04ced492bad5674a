"use client";

import type { ReactNode } from "react";
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { NoTabStops } from "@/components/charts/no-tab-stops";
import { CHART_AXIS, CHART_GRID, CHART_TICK, CHART_TOOLTIP } from "@/components/charts/theme";

// The one line chart over time behind every live chart: a connection's metrics, the Monitor's
// message and byte rates, the hit rate per namespace. Each series reads its value from a row with
// a function, not a recharts path string: channel, command and namespace names contain dots,
// colons and "|". A missing value is a hole in the line, never bridged.

export interface TimeSeries<Row> {
  name: string;
  value: (row: Row) => number | null | undefined;
  color: string;
  dashed?: boolean;
  /** The right axis, for a second unit beside the left one (fragmentation beside bytes). */
  axis?: "left" | "right";
  /** Marks each point (see the chart's `dots`): for series where a lone point between holes is common. */
  dots?: boolean;
  /** 1.5 unless said. */
  strokeWidth?: number;
  /** The name is Redis data (a command, a channel), not interface text: never translated. */
  data?: boolean;
}

export interface TimeSeriesChartProps<Row extends { at: number }> {
  rows: Row[];
  series: TimeSeries<Row>[];
  /** Names the chart for screen readers. */
  title: string;
  height: number;
  /** The time axis: a fixed window (rows outside it are cut), or the rows' own first to last. */
  x: { domain?: [number, number]; format: (at: number) => string };
  /** The left axis, from its first round tick to its last. */
  y: { ticks: number[]; width: number; format?: (value: number) => string };
  right?: { width: number; format: (value: number) => string };
  tooltip: {
    label: (at: number) => string;
    value: (value: number, series: TimeSeries<Row>) => string;
    /** Shown for a row without a value; "—" unless said. */
    missing?: string;
  };
  /** How `dots` series mark their points, while the chart has at most `upTo` rows (then they blur). */
  dots?: { upTo: number; r: number; strokeWidth?: number };
  /** Drawn on the left axis under the lines: shaded spans (recharts ReferenceArea). */
  children?: ReactNode;
}

export function TimeSeriesChart<Row extends { at: number }>({
  rows,
  series,
  title,
  height,
  x,
  y,
  right,
  tooltip,
  dots,
  children,
}: TimeSeriesChartProps<Row>) {
  const { upTo, ...dot } = dots ?? { upTo: 0 };
  const showDots = dots !== undefined && rows.length <= upTo;
  const formatTooltip = (value: unknown, name: unknown): [ReactNode, ReactNode] => {
    const line = series.find((s) => s.name === String(name));
    const text = typeof value === "number" && line ? tooltip.value(value, line) : (tooltip.missing ?? "—");
    // A series named by Redis (a command, a channel) is data in the tooltip too.
    return [text, line?.data ? <span translate="no">{line.name}</span> : String(name)];
  };
  return (
    <NoTabStops>
      <LineChart
        data={rows}
        responsive
        style={{ width: "100%", height }}
        margin={{ top: 4, right: right ? 0 : 8, bottom: 4, left: 0 }}
        title={title}
        // No keyboard stop inside the chart: the figures are in its caption, legend or table.
        accessibilityLayer={false}
      >
        <CartesianGrid vertical={false} stroke={CHART_GRID} />
        <XAxis
          dataKey="at"
          type="number"
          scale="time"
          domain={x.domain ?? ["dataMin", "dataMax"]}
          allowDataOverflow={x.domain !== undefined}
          tick={CHART_TICK}
          stroke={CHART_AXIS}
          tickFormatter={x.format}
          minTickGap={48}
        />
        <YAxis
          yAxisId="left"
          tick={CHART_TICK}
          stroke={CHART_AXIS}
          width={y.width}
          tickFormatter={y.format}
          domain={[y.ticks[0]!, y.ticks[y.ticks.length - 1]!]}
          ticks={y.ticks}
          interval={0}
        />
        {right && (
          <YAxis
            yAxisId="right"
            orientation="right"
            tick={CHART_TICK}
            stroke={CHART_AXIS}
            width={right.width}
            tickFormatter={right.format}
            domain={[0, "auto"]}
          />
        )}
        {children}
        <Tooltip
          labelFormatter={(at: unknown) => (typeof at === "number" ? tooltip.label(at) : String(at))}
          formatter={formatTooltip}
          {...CHART_TOOLTIP}
        />
        {series.map((s) => (
          <Line
            key={s.name}
            yAxisId={s.axis ?? "left"}
            dataKey={(row: Row) => s.value(row) ?? null}
            name={s.name}
            stroke={s.color}
            strokeDasharray={s.dashed ? "4 3" : undefined}
            strokeWidth={s.strokeWidth ?? 1.5}
            dot={s.dots && showDots ? dot : false}
            connectNulls={false}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </NoTabStops>
  );
}
