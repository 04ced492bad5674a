"use client";

import { useTranslations } from "next-intl";
import { memo } from "react";
import { niceByteTicks, niceTicks } from "@/components/charts/nice";
import { seriesColor, SERIES_COLORS, TOTAL_COLOR } from "@/components/charts/theme";
import { TimeSeriesChart, type TimeSeries } from "@/components/charts/time-series-chart";
import { busiestChannels, type RatePoint } from "@/components/monitor/message-buffer";
import { useFormat } from "@/components/ui/format";

const TOP_CHANNELS = 5;
const CHART_HEIGHT = 180;
/** The same axis width on both charts keeps their time axes aligned. */
const Y_WIDTH = 68;

/**
 * The legend: channel names are data (translate="no"), the total's name is interface text. Drawn
 * like components/charts/legend.
 */
function RateLegend({
  items,
}: {
  items: { name: string; color: string; dashed?: boolean; data: boolean }[];
}) {
  return (
    <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
      {items.map((item) => (
        <li key={`${item.data}:${item.name}`} className="inline-flex min-w-0 items-center gap-1.5">
          <span
            aria-hidden
            className={`inline-block w-4 border-t-2 ${item.dashed ? "border-dashed" : ""}`}
            style={{ borderColor: item.color }}
          />
          {item.data ? (
            <span className="max-w-48 truncate font-mono" title={item.name} translate="no">
              {item.name}
            </span>
          ) : (
            <span className="max-w-48 truncate">{item.name}</span>
          )}
        </li>
      ))}
    </ul>
  );
}

/** Messages per second for the busiest channels and bytes per second in all, the last 60 s. */
export const RateChart = memo(function RateChart({ series }: { series: RatePoint[] }) {
  const t = useTranslations("monitor.rates");
  const f = useFormat();
  const clock = { format: f.clock };
  const clockLabel = (at: number) => `${f.clock(at)} UTC`;
  const bytes: TimeSeries<RatePoint>[] = [
    { name: t("bytesSeries"), value: (point) => point.bytes, color: SERIES_COLORS[0], strokeWidth: 1 },
  ];
  const channels = busiestChannels(series, TOP_CHANNELS);
  const latest = series[series.length - 1];
  const messageTicks = niceTicks(0, Math.max(1, ...series.map((point) => point.messages)), 5).filter((tick) =>
    Number.isInteger(tick),
  );
  const byteTicks = niceByteTicks(Math.max(0, ...series.map((point) => point.bytes)), 4);
  const messages: TimeSeries<RatePoint>[] = [
    { name: t("all"), value: (point) => point.messages, color: TOTAL_COLOR, dashed: true, strokeWidth: 1 },
    ...channels.map((channel, index) => ({
      name: channel,
      value: (point: RatePoint) => point.channels[channel] ?? 0,
      color: seriesColor(index),
    })),
  ];

  return (
    <div className="flex flex-col gap-5" data-testid="rate-chart">
      <p className="text-sm text-slate-600" data-testid="rate-now">
        {t.rich("now", {
          messages: f.rate(latest?.messages ?? 0),
          bytes: f.bytes(latest?.bytes ?? 0),
          figure: (chunks) => <span className="font-semibold text-slate-900 tabular-nums">{chunks}</span>,
        })}
      </p>
      <figure className="flex flex-col gap-2">
        <figcaption className="text-sm font-semibold text-slate-700">
          {t("messagesTitle")}{" "}
          <span className="text-xs font-normal text-slate-500">
            {channels.length > 0 ? t("busiest", { n: channels.length }) : t("last60")}
          </span>
        </figcaption>
        <TimeSeriesChart
          rows={series}
          series={messages}
          title={t("messagesChart")}
          height={CHART_HEIGHT}
          x={clock}
          y={{ ticks: messageTicks, width: Y_WIDTH }}
          tooltip={{ label: clockLabel, value: f.rate }}
        />
        <RateLegend
          items={messages.map(({ name, color, dashed }, index) => ({ name, color, dashed, data: index > 0 }))}
        />
      </figure>
      <figure className="flex flex-col gap-2">
        <figcaption className="text-sm font-semibold text-slate-700">
          {t("bytesTitle")} <span className="text-xs font-normal text-slate-500">{t("allTargets")}</span>
        </figcaption>
        <TimeSeriesChart
          rows={series}
          series={bytes}
          title={t("bytesChart")}
          height={CHART_HEIGHT}
          x={clock}
          y={{ ticks: byteTicks, width: Y_WIDTH, format: (v) => f.bytes(v) }}
          tooltip={{ label: clockLabel, value: (v) => `${f.bytes(v)}/s` }}
        />
      </figure>
    </div>
  );
});
