"use client";

import { useTranslations } from "next-intl";
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import { niceBins, niceStep, niceTicks, tidy } from "@/components/charts/nice";
import { NoTabStops } from "@/components/charts/no-tab-stops";
import { BAR_TOOLTIP, CHART_AXIS, CHART_GRID, CHART_TICK, SERIES_COLORS } from "@/components/charts/theme";
import { useFormat } from "@/components/ui/format";
import type { Formatters } from "@/lib/i18n/format";

const HISTOGRAM_BINS = 20;

/** The `charts.histogram` messages, from useTranslations or (in a test) createTranslator. */
export type HistogramTranslate = (key: "all" | "every", values: Record<string, string | number>) => string;

/** "every 4th of 256 values (64 drawn)": what a downsampled vector's histogram is made of. */
export function sampleNote(
  sampled: number,
  length: number,
  t: HistogramTranslate,
  f: Pick<Formatters, "measure">,
): string {
  if (sampled >= length) return t("all", { count: length });
  const step = Math.max(1, Math.ceil(length / sampled));
  return t("every", { step, length: f.measure(length), sampled });
}

/**
 * How a vector's values spread between its min and max, in bins of a round width. The server
 * sends a downsampled `sample` (every n-th value), and the caption says so.
 */
export function VectorHistogram({
  sample,
  min,
  max,
  length,
}: {
  sample: number[];
  min: number;
  max: number;
  length: number;
}) {
  const t = useTranslations("charts.histogram");
  const f = useFormat();
  const { width, bins } = niceBins(sample, min, max, HISTOGRAM_BINS);
  const data = bins.map((bin) => ({
    start: bin.start,
    label: t("bin", { from: f.measure(bin.start), to: f.measure(tidy(bin.start + width)) }),
    count: bin.count,
  }));
  // About five labelled ticks, at round multiples of a round step (…, -0.5, 0, 0.5, …).
  const labelStep = niceStep((data.length * width) / 5);
  const labelled = (start: number) => Math.abs(start / labelStep - Math.round(start / labelStep)) < 1e-6;
  const maxCount = Math.max(1, ...data.map((bin) => bin.count));
  const countTicks = niceTicks(0, maxCount, 4).filter((tick) => Number.isInteger(tick));
  const note = t("note", { sample: sampleNote(sample.length, length, t, f), width: f.measure(width) });

  return (
    <figure className="flex flex-col gap-2" data-testid="vector-histogram">
      <figcaption className="flex flex-wrap items-baseline gap-x-2 text-sm">
        <span className="font-semibold text-slate-700">{t("title")}</span>
        <span className="text-xs text-slate-500" data-testid="vector-histogram-note">
          {note}
        </span>
      </figcaption>
      <NoTabStops>
        <BarChart
          data={data}
          responsive
          style={{ width: "100%", height: 160 }}
          margin={{ top: 4, right: 8, bottom: 4, left: 0 }}
          barCategoryGap={1}
          title={t("chartTitle", { note })}
          accessibilityLayer={false}
        >
          <CartesianGrid vertical={false} stroke={CHART_GRID} />
          <XAxis
            dataKey="label"
            tick={CHART_TICK}
            stroke={CHART_AXIS}
            interval={0}
            tickFormatter={(_label: unknown, index: number) => {
              const start = data[index]?.start;
              return start !== undefined && labelled(start) ? f.measure(start) : "";
            }}
          />
          <YAxis
            ticks={countTicks}
            domain={[0, countTicks[countTicks.length - 1]!]}
            tick={CHART_TICK}
            stroke={CHART_AXIS}
            width="auto"
          />
          <Tooltip formatter={(value: unknown) => String(value)} {...BAR_TOOLTIP} />
          <Bar dataKey="count" name={t("values")} fill={SERIES_COLORS[0]} isAnimationActive={false} />
        </BarChart>
      </NoTabStops>
    </figure>
  );
}
