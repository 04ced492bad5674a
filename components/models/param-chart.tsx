"use client";

import { useTranslations } from "next-intl";
import { NoTabStops } from "@/components/charts/no-tab-stops";
import { useState } from "react";
import {
  Bar,
  BarChart,
  CartesianGrid,
  LabelList,
  Rectangle,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
  type BarShapeProps,
} from "recharts";
import { niceTicks, tidy } from "@/components/charts/nice";
import { BAR_TOOLTIP, CHART_AXIS, CHART_GRID, CHART_TICK } from "@/components/charts/theme";
import { useFormat } from "@/components/ui/format";
import { ToggleGroup } from "@/components/ui/toggle-group";

const TOP_FIELDS = 20;
const ROW_HEIGHT = 26;
const NAME_CHARS = 24;
/** Magnitudes this far apart (largest / smallest non-zero) are drawn on a log scale by default. */
const LOG_SPREAD = 100;

// Tailwind's sky-600, rose-600: recharts paints SVG attributes, not classes.
const POSITIVE = "#0284c7";
const NEGATIVE = "#e11d48";

const LABEL = { fontSize: 11, fill: "#334155" };

const SCALES = ["log", "linear"] as const;
type Scale = (typeof SCALES)[number];

interface ParamRow {
  name: string;
  value: number;
  /** What the bar's length is drawn from: the value itself, or its decades above the log axis' base. */
  length: number;
}

function shortName(name: string): string {
  return name.length > NAME_CHARS ? `${name.slice(0, NAME_CHARS - 1)}…` : name;
}

/** Parameters above zero and below it in two colors; Cell is deprecated in recharts 3. */
function signedBar(props: BarShapeProps) {
  const { x, y, width, height, payload } = props;
  const negative = (payload as ParamRow | undefined)?.value !== undefined && (payload as ParamRow).value < 0;
  return <Rectangle x={x} y={y} width={width} height={height} fill={negative ? NEGATIVE : POSITIVE} />;
}

/**
 * The decade a log axis starts at: a little below the smallest non-zero magnitude, so that the
 * smallest parameter still has a bar to see.
 */
function logBase(magnitudes: number[]): number {
  const smallest = Math.min(...magnitudes);
  const exponent = Math.log10(smallest);
  const base = Math.floor(exponent);
  return exponent - base < 0.3 ? base - 1 : base;
}

export function spreadOf(values: number[]): number {
  const magnitudes = values.map(Math.abs).filter((v) => v > 0);
  if (magnitudes.length < 2) return 1;
  return Math.max(...magnitudes) / Math.min(...magnitudes);
}

/**
 * The model's numeric fields as horizontal bars, the largest |value| first, each with its value
 * printed. Parameters of very different sizes (300 trees, a 0.03 learning rate) start on a log
 * scale, where each bar's length is its order of magnitude and the color its sign.
 */
export function NumericParamsChart({ fields }: { fields: { name: string; value: number }[] }) {
  const t = useTranslations("models.chart");
  const formatMeasure = useFormat().measure;
  const numeric = fields.filter((field) => Number.isFinite(field.value));
  const top = [...numeric].sort((a, b) => Math.abs(b.value) - Math.abs(a.value)).slice(0, TOP_FIELDS);
  const [scale, setScale] = useState<Scale>(() =>
    spreadOf(top.map((f) => f.value)) >= LOG_SPREAD ? "log" : "linear",
  );
  const cut = numeric.length > top.length;
  const magnitudes = top.map((f) => Math.abs(f.value)).filter((v) => v > 0);
  const log = scale === "log" && magnitudes.length > 0;
  const base = log ? logBase(magnitudes) : 0;
  const top10 = log ? Math.ceil(Math.log10(Math.max(...magnitudes))) : 0;
  const rows: ParamRow[] = top.map((f) => ({
    ...f,
    length: !log ? f.value : f.value === 0 ? 0 : Math.log10(Math.abs(f.value)) - base,
  }));
  const values = rows.map((row) => row.value);
  const ticks = log
    ? Array.from({ length: Math.max(1, top10 - base) + 1 }, (_, k) => k)
    : niceTicks(Math.min(0, ...values), Math.max(0, ...values), 5);
  const note = `${
    cut ? t("noteTop", { top: TOP_FIELDS, count: numeric.length }) : t("noteAll", { count: numeric.length })
  }${log ? t("noteLog") : ""}`;

  return (
    <figure className="flex flex-col gap-2" data-testid="numeric-params-chart" data-scale={scale}>
      <figcaption className="flex flex-wrap items-center justify-between gap-2">
        <span className="text-xs text-slate-500" data-testid="numeric-params-note">
          {note}
        </span>
        {rows.length > 1 && (
          <ToggleGroup
            label={t("scale")}
            options={SCALES}
            value={scale}
            onChange={setScale}
            optionLabel={(name) => t(`scales.${name}`)}
          />
        )}
      </figcaption>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-500">{t("noFields")}</p>
      ) : (
        // The axis names the fields: data, like the bars' values.
        <div translate="no">
          <NoTabStops>
            <BarChart
              layout="vertical"
              data={rows}
              responsive
              style={{ width: "100%", height: rows.length * ROW_HEIGHT + 36 }}
              margin={{ top: 4, right: 72, bottom: 4, left: 4 }}
              title={t("chartTitle", { note })}
              accessibilityLayer={false}
            >
              <CartesianGrid horizontal={false} stroke={CHART_GRID} />
              <XAxis
                type="number"
                tick={CHART_TICK}
                stroke={CHART_AXIS}
                domain={[ticks[0]!, ticks[ticks.length - 1]!]}
                ticks={ticks}
                tickFormatter={(tick: number) => formatMeasure(log ? tidy(10 ** (tick + base)) : tick)}
              />
              <YAxis
                type="category"
                dataKey="name"
                width="auto"
                interval={0}
                tick={CHART_TICK}
                stroke={CHART_AXIS}
                tickFormatter={shortName}
              />
              {!log && <ReferenceLine x={0} stroke={CHART_AXIS} />}
              <Tooltip
                formatter={(_value: unknown, _name: unknown, item: { payload?: ParamRow }) =>
                  item.payload ? formatMeasure(item.payload.value) : ""
                }
                {...BAR_TOOLTIP}
              />
              <Bar dataKey="length" name={t("value")} isAnimationActive={false} shape={signedBar}>
                <LabelList
                  dataKey="value"
                  position="right"
                  style={LABEL}
                  formatter={(value: unknown) => (typeof value === "number" ? formatMeasure(value) : "")}
                />
              </Bar>
            </BarChart>
          </NoTabStops>
        </div>
      )}
    </figure>
  );
}
