"use client";

import { memo } from "react";
import { ChartLegend } from "@/components/charts/legend";
import { niceByteTicks, niceTicks } from "@/components/charts/nice";
import { seriesColor, SERIES_COLORS, TOTAL_COLOR } from "@/components/charts/theme";
import { TimeSeriesChart, type TimeSeries } from "@/components/charts/time-series-chart";
import { busiestChannels, type RatePoint } from "@/components/monitor/message-buffer";
import { formatClock, formatRate } from "@/components/monitor/live-format";
import { formatBytes } from "@/components/ui/format";

const TOP_CHANNELS = 5;
const CHART_HEIGHT = 180;
/** The same axis width on both charts keeps their time axes aligned. */
const Y_WIDTH = 68;
const CLOCK = { format: formatClock };
const clockLabel = (at: number) => `${formatClock(at)} UTC`;
const BYTES: TimeSeries<RatePoint>[] = [
  { name: "bytes/s", value: (point) => point.bytes, color: SERIES_COLORS[0], strokeWidth: 1 },
];

/** Messages per second for the busiest channels and bytes per second in all, the last 60 s. */
export const RateChart = memo(function RateChart({ series }: { series: RatePoint[] }) {
  const channels = busiestChannels(series, TOP_CHANNELS);
  const latest = series[series.length - 1];
  const messageTicks = niceTicks(0, Math.max(1, ...series.map((point) => point.messages)), 5).filter((tick) =>
    Number.isInteger(tick),
  );
  const byteTicks = niceByteTicks(Math.max(0, ...series.map((point) => point.bytes)), 4);
  const messages: TimeSeries<RatePoint>[] = [
    { name: "all", value: (point) => point.messages, color: TOTAL_COLOR, dashed: true, strokeWidth: 1 },
    ...channels.map((channel, index) => ({
      name: channel,
      value: (point: RatePoint) => point.channels[channel] ?? 0,
      color: seriesColor(index),
    })),
  ];

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
        <TimeSeriesChart
          rows={series}
          series={messages}
          title="Messages per second by channel, last 60 seconds"
          height={CHART_HEIGHT}
          x={CLOCK}
          y={{ ticks: messageTicks, width: Y_WIDTH }}
          tooltip={{ label: clockLabel, value: formatRate }}
        />
        <ChartLegend items={messages.map(({ name, color, dashed }) => ({ name, color, dashed }))} />
      </figure>
      <figure className="flex flex-col gap-2">
        <figcaption className="text-sm font-semibold text-slate-700">
          Bytes per second <span className="text-xs font-normal text-slate-500">all watched targets</span>
        </figcaption>
        <TimeSeriesChart
          rows={series}
          series={BYTES}
          title="Payload bytes per second, last 60 seconds"
          height={CHART_HEIGHT}
          x={CLOCK}
          y={{ ticks: byteTicks, width: Y_WIDTH, format: (v) => formatBytes(v) }}
          tooltip={{ label: clockLabel, value: (v) => `${formatBytes(v)}/s` }}
        />
      </figure>
    </div>
  );
});
