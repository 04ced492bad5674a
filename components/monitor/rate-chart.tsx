"use client";

import { ChartLegend } from "@/components/charts/legend";
import { CHART_AXIS, CHART_GRID, CHART_TICK, CHART_TOOLTIP } from "@/components/charts/theme";
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { busiestChannels, type RatePoint } from "@/components/monitor/message-buffer";
import { formatClock, formatRate } from "@/components/monitor/live-format";
import { formatBytes } from "@/components/ui/format";

const TOP_CHANNELS = 5;
// Tailwind's sky/rose/emerald/amber/violet-600 and slate: recharts paints SVG attributes, not classes.
const COLORS = ["#0284c7", "#e11d48", "#059669", "#d97706", "#7c3aed"] as const;
const TOTAL = "#475569";
const TOOLTIP = CHART_TOOLTIP;
const CHART_HEIGHT = 180;
/** The same axis width on both charts keeps their time axes aligned. */
const Y_WIDTH = 60;

function clockLabel(value: unknown): string {
  return typeof value === "number" ? `${formatClock(value)} UTC` : String(value);
}

/** Messages per second for the busiest channels and bytes per second in all, the last 60 s. */
export function RateChart({ series }: { series: RatePoint[] }) {
  const channels = busiestChannels(series, TOP_CHANNELS);
  const latest = series[series.length - 1];
  const axes = (
    <>
      <CartesianGrid vertical={false} stroke={CHART_GRID} />
      <XAxis
        dataKey="at"
        type="number"
        scale="time"
        domain={["dataMin", "dataMax"]}
        tick={CHART_TICK}
        stroke={CHART_AXIS}
        tickFormatter={formatClock}
        minTickGap={48}
      />
    </>
  );

  return (
    <div className="flex flex-col gap-5" data-testid="rate-chart">
      <p className="text-sm text-slate-600" data-testid="rate-now">
        Last second:{" "}
        <span className="font-semibold text-slate-900 tabular-nums">
          {formatRate(latest?.messages ?? 0)} messages/s
        </span>
        {", "}
        <span className="font-semibold text-slate-900 tabular-nums">{formatBytes(latest?.bytes ?? 0)}/s</span>
      </p>
      <figure className="flex flex-col gap-2">
        <figcaption className="text-sm font-semibold text-slate-700">
          Messages per second{" "}
          <span className="text-xs font-normal text-slate-500">
            {channels.length > 0 ? `busiest ${channels.length} of the last 60 s, and all` : "last 60 s"}
          </span>
        </figcaption>
        <LineChart
          data={series}
          responsive
          style={{ width: "100%", height: CHART_HEIGHT }}
          margin={{ top: 4, right: 8, bottom: 4, left: 0 }}
          title="Messages per second by channel, last 60 seconds"
        >
          {axes}
          <YAxis allowDecimals={false} tick={CHART_TICK} stroke={CHART_AXIS} width={Y_WIDTH} />
          <Tooltip labelFormatter={clockLabel} formatter={(v) => formatRate(Number(v))} {...TOOLTIP} />
          <Line
            dataKey="messages"
            name="all"
            stroke={TOTAL}
            strokeDasharray="4 3"
            dot={false}
            isAnimationActive={false}
          />
          {channels.map((channel, index) => (
            <Line
              key={channel}
              // A function, not a path string: channel names may contain dots.
              dataKey={(point: RatePoint) => point.channels[channel] ?? 0}
              name={channel}
              stroke={COLORS[index % COLORS.length]}
              strokeWidth={1.5}
              dot={false}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
        <ChartLegend
          items={[
            { name: "all", color: TOTAL, dashed: true },
            ...channels.map((name, index) => ({ name, color: COLORS[index % COLORS.length]! })),
          ]}
        />
      </figure>
      <figure className="flex flex-col gap-2">
        <figcaption className="text-sm font-semibold text-slate-700">
          Bytes per second <span className="text-xs font-normal text-slate-500">all watched targets</span>
        </figcaption>
        <LineChart
          data={series}
          responsive
          style={{ width: "100%", height: CHART_HEIGHT }}
          margin={{ top: 4, right: 8, bottom: 4, left: 0 }}
          title="Payload bytes per second, last 60 seconds"
        >
          {axes}
          <YAxis
            tick={CHART_TICK}
            stroke={CHART_AXIS}
            width={Y_WIDTH}
            tickFormatter={(v: number) => formatBytes(v)}
          />
          <Tooltip
            labelFormatter={clockLabel}
            formatter={(v) => `${formatBytes(Number(v))}/s`}
            {...TOOLTIP}
          />
          <Line dataKey="bytes" name="bytes/s" stroke={COLORS[0]} dot={false} isAnimationActive={false} />
        </LineChart>
      </figure>
    </div>
  );
}
