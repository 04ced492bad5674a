"use client";

import { useTranslations } from "next-intl";
import { NoTabStops } from "@/components/charts/no-tab-stops";
import { Line, LineChart, YAxis } from "recharts";
import { VectorHistogram } from "@/components/charts/vector-histogram";
import { useFormat } from "@/components/ui/format";
import type { ValueView } from "@/lib/values/types";

// A float32 vector: its length and min / max / mean, a sparkline of its values, and in full view
// how they spread.

const LINE = "#0284c7";

function Sparkline({ sample, wide }: { sample: number[]; wide?: boolean }) {
  const data = sample.map((value, index) => ({ index, value }));
  const size = wide ? { responsive: true, style: { width: "100%", height: 72 } } : { width: 120, height: 24 };
  return (
    <span
      aria-hidden
      className={wide ? "block w-full" : "inline-block shrink-0"}
      data-testid="vector-sparkline"
    >
      <NoTabStops inline>
        <LineChart
          data={data}
          margin={{ top: 2, right: 2, bottom: 2, left: 2 }}
          accessibilityLayer={false}
          {...size}
        >
          <YAxis hide domain={["dataMin", "dataMax"]} />
          <Line
            type="monotone"
            dataKey="value"
            stroke={LINE}
            strokeWidth={1.25}
            dot={false}
            isAnimationActive={false}
          />
        </LineChart>
      </NoTabStops>
    </span>
  );
}

export function VectorValue({ value, compact }: { value: ValueView; compact?: boolean }) {
  const t = useTranslations("values.vector");
  const f = useFormat();
  const vector = value.vector;
  if (!vector)
    return (
      <span className="font-mono text-xs text-slate-800" translate="no">
        {value.display}
      </span>
    );
  const stats: [string, string][] = [
    [t("min"), f.measure(vector.min)],
    [t("max"), f.measure(vector.max)],
    [t("mean"), f.measure(vector.mean)],
  ];
  if (compact) {
    return (
      <div className="flex min-w-0 items-center gap-3">
        <span className="truncate font-mono text-xs text-slate-800" data-testid="vector-summary">
          <span className="font-semibold" translate="no">
            float32[{vector.length}]
          </span>
          {stats.map(([name, figure]) => (
            <span key={name}>
              {" "}
              <span className="text-slate-500">{name}</span> {figure}
            </span>
          ))}
        </span>
        <Sparkline sample={vector.sample} />
      </div>
    );
  }
  return (
    <div className="flex flex-col gap-4">
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4" data-testid="vector-summary">
        {[[t("length"), `float32[${vector.length}]`] as [string, string], ...stats].map(([name, figure]) => (
          <div key={name} className="rounded-lg border border-slate-200 bg-white px-3 py-2">
            <dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">{name}</dt>
            <dd className="mt-0.5 font-mono text-sm text-slate-900 tabular-nums" translate="no">
              {figure}
            </dd>
          </div>
        ))}
      </dl>
      <div>
        <p className="mb-1 text-xs text-slate-500">
          {t("inOrder")}
          {vector.sample.length < vector.length
            ? t("oneInEvery", { step: Math.ceil(vector.length / vector.sample.length) })
            : ""}
        </p>
        <Sparkline sample={vector.sample} wide />
      </div>
      <VectorHistogram sample={vector.sample} min={vector.min} max={vector.max} length={vector.length} />
    </div>
  );
}
