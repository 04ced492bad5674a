"use client";

import { CHART_AXIS, CHART_GRID, CHART_TICK, CHART_TOOLTIP } from "@/components/charts/theme";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Rectangle,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
  type BarShapeProps,
} from "recharts";
import { formatMeasure, plural } from "@/components/ui/format";

const TOP_FIELDS = 20;
const HISTOGRAM_BINS = 20;
const ROW_HEIGHT = 26;
const NAME_CHARS = 24;

// Tailwind's sky-600, rose-600, slate-200/400/500: recharts paints SVG attributes, not classes.
const POSITIVE = "#0284c7";
const NEGATIVE = "#e11d48";

const TOOLTIP = { ...CHART_TOOLTIP, cursor: { fill: "#f1f5f9" } };

function tooltipValue(value: unknown): string {
  return typeof value === "number" ? formatMeasure(value) : String(value);
}

function shortName(name: string): string {
  return name.length > NAME_CHARS ? `${name.slice(0, NAME_CHARS - 1)}…` : name;
}

/** Parameters above zero and below it in two colors; Cell is deprecated in recharts 3. */
function signedBar(props: BarShapeProps) {
  const { x, y, width, height, value } = props;
  const negative = typeof value === "number" && value < 0;
  return <Rectangle x={x} y={y} width={width} height={height} fill={negative ? NEGATIVE : POSITIVE} />;
}

/** The model's numeric fields as horizontal bars, the largest |value| first. */
export function NumericParamsChart({ fields }: { fields: { name: string; value: number }[] }) {
  const numeric = fields.filter((field) => Number.isFinite(field.value));
  const rows = [...numeric].sort((a, b) => Math.abs(b.value) - Math.abs(a.value)).slice(0, TOP_FIELDS);
  const cut = numeric.length > rows.length;
  const title = "Numeric parameters";
  const note = cut
    ? `top ${TOP_FIELDS} of ${numeric.length} numeric fields by magnitude`
    : `${plural(numeric.length, "numeric field")}, largest magnitude first`;

  return (
    <figure className="flex flex-col gap-2" data-testid="numeric-params-chart">
      <figcaption className="flex flex-wrap items-baseline gap-x-2 text-sm">
        <span className="font-semibold text-slate-700">{title}</span>
        <span className="text-xs text-slate-500" data-testid="numeric-params-note">
          {note}
        </span>
      </figcaption>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-500">This hash has no numeric fields to draw.</p>
      ) : (
        <BarChart
          layout="vertical"
          data={rows}
          responsive
          style={{ width: "100%", height: rows.length * ROW_HEIGHT + 36 }}
          margin={{ top: 4, right: 16, bottom: 4, left: 4 }}
          title={`${title}: ${note}`}
        >
          <CartesianGrid horizontal={false} stroke={CHART_GRID} />
          <XAxis type="number" tick={CHART_TICK} stroke={CHART_AXIS} tickFormatter={formatMeasure} />
          <YAxis
            type="category"
            dataKey="name"
            width="auto"
            interval={0}
            tick={CHART_TICK}
            stroke={CHART_AXIS}
            tickFormatter={shortName}
          />
          <ReferenceLine x={0} stroke={CHART_AXIS} />
          <Tooltip formatter={tooltipValue} {...TOOLTIP} />
          <Bar dataKey="value" name="value" isAnimationActive={false} shape={signedBar} />
        </BarChart>
      )}
    </figure>
  );
}

interface Bin {
  label: string;
  count: number;
}

function histogram(values: number[], min: number, max: number): Bin[] {
  const span = max - min;
  if (!(span > 0)) return [{ label: formatMeasure(min), count: values.length }];
  const width = span / HISTOGRAM_BINS;
  const bins: Bin[] = Array.from({ length: HISTOGRAM_BINS }, (_, i) => ({
    label: `${formatMeasure(min + i * width)} to ${formatMeasure(min + (i + 1) * width)}`,
    count: 0,
  }));
  for (const value of values) {
    const index = Math.min(HISTOGRAM_BINS - 1, Math.max(0, Math.floor((value - min) / width)));
    bins[index]!.count += 1;
  }
  return bins;
}

function binStart(label: unknown): string {
  const start = Number(String(label).split(" to ")[0]?.replace(/,/g, ""));
  return Number.isFinite(start) ? formatMeasure(Number(start.toPrecision(3))) : "";
}

/**
 * How a vector's values spread between its min and max. The server sends a downsampled `sample`
 * (every n-th value), so for long vectors this is the sample's shape, and the caption says so.
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
  const bins = histogram(sample, min, max);
  const sampled = sample.length < length;
  const title = "Distribution of values";
  const note = sampled
    ? `from a sample of ${sample.length} of ${length} values`
    : `all ${plural(length, "value")}, ${HISTOGRAM_BINS} bins`;

  return (
    <figure className="flex flex-col gap-2" data-testid="vector-histogram">
      <figcaption className="flex flex-wrap items-baseline gap-x-2 text-sm">
        <span className="font-semibold text-slate-700">{title}</span>
        <span className="text-xs text-slate-500" data-testid="vector-histogram-note">
          {note}
        </span>
      </figcaption>
      <BarChart
        data={bins}
        responsive
        style={{ width: "100%", height: 160 }}
        margin={{ top: 4, right: 8, bottom: 4, left: 0 }}
        barCategoryGap={1}
        title={`${title}: ${note}`}
      >
        <CartesianGrid vertical={false} stroke={CHART_GRID} />
        <XAxis
          dataKey="label"
          tick={CHART_TICK}
          stroke={CHART_AXIS}
          tickFormatter={binStart}
          minTickGap={16}
        />
        <YAxis allowDecimals={false} tick={CHART_TICK} stroke={CHART_AXIS} width="auto" />
        <Tooltip formatter={tooltipValue} {...TOOLTIP} />
        <Bar dataKey="count" name="values" fill={POSITIVE} isAnimationActive={false} />
      </BarChart>
    </figure>
  );
}
