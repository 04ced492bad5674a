"use client";

import { useTranslations } from "next-intl";
import { useCallback, useMemo, useState, type ReactNode } from "react";
import { seriesColor } from "@/components/charts/theme";
import { TimeSeriesChart, type TimeSeries } from "@/components/charts/time-series-chart";
import type { FeedEvent } from "@/components/live/live-connection";
import { useFeedQuery, type FeedUpdate } from "@/components/live/use-feed-query";
import { api, queryKeys } from "@/components/query/api";
import { fetchJson } from "@/components/query/fetch-json";
import { Card } from "@/components/ui/card";
import { useFormat } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import { Table } from "@/components/ui/table";
import { ToggleGroup } from "@/components/ui/toggle-group";
import { MINUTE_MS } from "@/lib/cache/hit-counter";
import { HIT_RATE_RANGE_NAMES, type HitRateRange } from "@/lib/cache/namespace-hits-math";
import type { NamespaceHitRates as HitRates } from "@/lib/cache/namespace-hits";
import { HIT_RATES_READ_MS, type WatchTarget } from "@/lib/live/protocol";

/** How often the page reads the route while the live stream is down. */
const POLL_MS = 15_000;
const CHART_HEIGHT = 220;

/** "14:05" (UTC), the counters' minute. */
function formatMinute(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

interface ChartRow {
  at: number;
  /** Hit rate in percent per charted namespace, in the response's order; null = no reads. */
  rates: (number | null)[];
}

function chartRows(data: HitRates): ChartRow[] {
  const times = data.namespaces[0]?.series.map((point) => point.at) ?? [];
  return times.map((at, index) => ({
    at,
    rates: data.namespaces.map((ns) => {
      const rate = ns.series[index]?.hitRate;
      return rate === null || rate === undefined ? null : rate * 100;
    }),
  }));
}

function HowToEnable({ data }: { data: HitRates }) {
  const t = useTranslations("cache.hitRates");
  const code = (chunks: ReactNode) => <code>{chunks}</code>;
  const mono = (chunks: ReactNode) => <code className="font-mono">{chunks}</code>;
  const name = (chunks: ReactNode) => <span translate="no">{chunks}</span>;
  return (
    <div className="flex flex-col gap-2 text-sm text-slate-600" data-testid="hit-rates-enable">
      <p>
        {t.rich("howToEnable", {
          range: t(`range.${data.range}`),
          prefix: data.keyPrefix,
          minute: "<minute>",
          ns: "<namespace>",
          code,
          mono,
          name,
        })}
      </p>
      <pre className="relative overflow-x-auto rounded-lg bg-slate-900 px-3 py-2 font-mono text-xs text-slate-100">
        {`import { recordLookup } from "./lib/cache/hit-counter";\nawait recordLookup(redis, "result", value !== null);`}
      </pre>
      <p>{t.rich("readme", { code, name })}</p>
    </div>
  );
}

function HitRateChart({ data }: { data: HitRates }) {
  const t = useTranslations("cache.hitRates");
  const step = data.stepMinutes * MINUTE_MS;
  const series: TimeSeries<ChartRow>[] = data.namespaces.map((ns, index) => ({
    name: ns.namespace,
    value: (row) => row.rates[index],
    color: seriesColor(index),
    // Minutes without reads are gaps, not 0 %; short ranges show dots so a lone minute is seen.
    dots: true,
  }));
  return (
    <TimeSeriesChart
      rows={chartRows(data)}
      series={series}
      title={t("chartTitle", { range: t(`range.${data.range}`) })}
      height={CHART_HEIGHT}
      x={{ format: formatMinute }}
      y={{ ticks: [0, 25, 50, 75, 100], width: 44, format: (v) => `${v}%` }}
      tooltip={{
        label: (at) =>
          data.stepMinutes === 1
            ? `${formatMinute(at)} UTC`
            : `${formatMinute(at)}–${formatMinute(at + step)} UTC`,
        value: (value) => `${value.toFixed(1)}%`,
        missing: t("noReads"),
      }}
      dots={{ upTo: 60, r: 1.5 }}
    />
  );
}

function NamespaceTable({ data }: { data: HitRates }) {
  const t = useTranslations("cache.hitRates");
  const f = useFormat();
  return (
    <Table
      columns={[
        { label: t("namespace") },
        { label: t("hitRate"), align: "right" },
        { label: t("hits"), align: "right" },
        { label: t("misses"), align: "right" },
      ]}
      scroll={false}
      testId="hit-rates-table"
    >
      <tbody>
        {data.namespaces.map((ns, index) => (
          <tr key={ns.namespace} className="border-t border-slate-100" data-testid="hit-rate-row">
            <td className="max-w-0 py-2">
              <span className="flex min-w-0 items-center gap-2">
                <span
                  aria-hidden
                  className="inline-block w-4 shrink-0 border-t-2"
                  style={{ borderColor: seriesColor(index) }}
                />
                <span
                  className="truncate font-mono"
                  title={ns.namespace}
                  translate="no"
                  data-testid="hit-rate-namespace"
                >
                  {ns.namespace}
                </span>
              </span>
            </td>
            <td className="py-2 text-right font-semibold tabular-nums" data-testid="hit-rate-value">
              {ns.hitRate === null ? t("noReads") : f.percent(ns.hitRate)}
            </td>
            <td className="py-2 text-right tabular-nums">{f.count(ns.hits)}</td>
            <td className="py-2 text-right tabular-nums">{f.count(ns.misses)}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

/** Hit rate per cache namespace, from the per-minute counters applications record (lib/cache/hit-counter.ts). */
export function NamespaceHitRates({ connectionId }: { connectionId: string }) {
  const t = useTranslations("cache.hitRates");
  const [range, setRange] = useState<HitRateRange>("1h");
  // The connection's one reader pushes the figures over the tab's live stream (lib/cache/hit-rates-feed.ts).
  const target = useMemo<WatchTarget>(() => ({ kind: "hitRates", name: range }), [range]);
  const select = useCallback(
    (event: FeedEvent): FeedUpdate<HitRates> | undefined =>
      event.type === "hitRates" && event.data.connectionId === connectionId && event.data.range === range
        ? { data: event.data.rates, error: event.data.error }
        : undefined,
    [connectionId, range],
  );
  const query = useFeedQuery({
    connectionId,
    target,
    queryKey: queryKeys.cache.hitRates(connectionId, range),
    queryFn: () => fetchJson(api.hitRates(connectionId, range)),
    select,
    fallbackMs: POLL_MS,
  });
  const data = query.data;

  return (
    <Card title={t("title")}>
      <div className="flex flex-col gap-4" data-testid="namespace-hit-rates">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <p className="text-xs text-slate-500">{t("countedBy")}</p>
          <ToggleGroup
            label={t("rangeLabel")}
            options={HIT_RATE_RANGE_NAMES}
            value={range}
            onChange={setRange}
            optionTitle={(name) => t("rangeTitle", { range: t(`range.${name}`) })}
            size="sm"
          />
        </div>
        {query.error && (
          <Notice tone={data ? "warning" : "error"}>
            {query.error.message}{" "}
            {t("retrying", { seconds: (query.streaming ? HIT_RATES_READ_MS : POLL_MS) / 1000 })}
          </Notice>
        )}
        {query.isPending && <p className="text-sm text-slate-500">{t("reading")}</p>}
        {data && !data.enabled && <HowToEnable data={data} />}
        {data?.enabled && data.namespaces.length === 0 && (
          <p className="text-sm text-slate-500">
            {t.rich("noFields", { ns: "<namespace>", code: (chunks) => <code>{chunks}</code> })}
          </p>
        )}
        {data?.enabled && data.namespaces.length > 0 && (
          <>
            <HitRateChart data={data} />
            <NamespaceTable data={data} />
            {data.otherNamespaces > 0 && (
              <p className="text-xs text-slate-500">{t("others", { count: data.otherNamespaces })}</p>
            )}
            {data.partialMinutes > 0 && (
              <Notice tone="warning">{t("partial", { count: data.partialMinutes })}</Notice>
            )}
          </>
        )}
      </div>
    </Card>
  );
}
