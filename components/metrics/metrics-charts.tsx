"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { chartsFor } from "@/components/metrics/chart-specs";
import { GAP_FILL, type ChartName } from "@/components/metrics/metric-chart";
import { useMetrics } from "@/components/metrics/use-metrics";
import { useFormat } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import { ToggleGroup } from "@/components/ui/toggle-group";
import type { MetricsGap } from "@/lib/metrics/history";
import { METRICS_RANGE_NAMES, METRICS_RANGES, type MetricsRange } from "@/lib/metrics/ranges";

// The live charts of a connection (issue: metrics and hit rate): one range at a time, all charts
// sharing its time axis. Holes in the data are drawn as holes — shaded and named — never bridged.

function GapList({ gaps, to }: { gaps: MetricsGap[]; to: number }) {
  const t = useTranslations("metrics.gaps");
  const f = useFormat();
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
          {gap.to === null
            ? t("untilNow", { reason: gap.reason, from: f.clock(gap.from), span: f.span(to - gap.from) })
            : t("between", {
                reason: gap.reason,
                from: f.clock(gap.from),
                to: f.clock(gap.to),
                span: f.span(gap.to - gap.from),
              })}
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
  const t = useTranslations("metrics");
  const f = useFormat();
  const [range, setRange] = useState<MetricsRange>("1m");
  const feed = useMetrics(connectionId, range);
  const snapshot = feed.snapshot;
  const latest = snapshot?.latest;
  const how = feed.streaming
    ? t("source.live")
    : t("source.polling", {
        every: f.span(METRICS_RANGES[range].pollMs),
        status: t(`liveStatus.${feed.live.status}`),
      });

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
            {t("source.info", { how })}
            {snapshot && snapshot.history.stepMs > 1_000
              ? t("source.step", { step: f.span(snapshot.history.stepMs) })
              : ""}
            {t("source.end")}
          </p>
        </div>
        <ToggleGroup
          label={t("rangeLabel")}
          options={METRICS_RANGE_NAMES}
          value={range}
          onChange={setRange}
          optionTitle={(name) => t("rangeTitle", { range: t(`ranges.${name}`) })}
        />
      </header>
      <div className="flex flex-col gap-4 p-5">
        {feed.error && (
          <Notice tone={snapshot ? "warning" : "error"} title={t("error.title")}>
            {feed.error.message} {t("error.retry")}
          </Notice>
        )}
        {latest?.state === "unreachable" && (
          <Notice tone="warning" title={t("unreachable.title")}>
            {latest.since
              ? t("unreachable.since", { time: f.clock(latest.since) })
              : t("unreachable.sinceStart")}
          </Notice>
        )}
        {!snapshot && !feed.error && <p className="text-sm text-slate-500">{t("loading")}</p>}
        {snapshot && (
          <>
            <div className="grid grid-cols-1 gap-x-8 gap-y-6 xl:grid-cols-2">
              {chartsFor(snapshot, range, charts, t, f)}
            </div>
            <GapList gaps={snapshot.history.gaps} to={snapshot.history.to} />
          </>
        )}
      </div>
    </section>
  );
}
