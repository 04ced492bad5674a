"use client";

import type { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { SERIES_COLORS, seriesColor, TOTAL_COLOR } from "@/components/charts/theme";
import { MetricChart, type ChartName, type MetricsRow } from "@/components/metrics/metric-chart";
import type { Formatters } from "@/lib/i18n/format";
import type { MetricsSnapshot } from "@/lib/metrics/history";
import type { MetricsRange } from "@/lib/metrics/ranges";

// What each of a connection's live charts draws: its series, its units and the figure in its
// caption. MetricChart draws them all alike.

export type MetricsTranslate = ReturnType<typeof useTranslations<"metrics">>;

export function chartsFor(
  snapshot: MetricsSnapshot,
  range: MetricsRange,
  names: ChartName[],
  t: MetricsTranslate,
  f: Formatters,
): ReactNode[] {
  const percent = (value: number | null | undefined) =>
    value === null || value === undefined ? t("noReads") : f.percent(value);
  const perSec = (value: number | null | undefined) =>
    value === null || value === undefined ? "—" : t("perSecond", { value: f.rate(value) });
  const bytesPerSec = (value: number) => t("perSecond", { value: f.bytes(value) });
  const { history, latest } = snapshot;
  const point = latest.point;
  const rate = history.hitRate;
  const specs: Record<ChartName, () => ReactNode> = {
    hitRate: () => (
      <MetricChart
        key="hitRate"
        id="hitRate"
        title={t("hitRate.title")}
        history={history}
        range={range}
        now={t.rich("hitRate.now", {
          range: t(`ranges.${range}`),
          rate: percent(rate.ratio),
          hits: f.count(rate.hits),
          misses: f.count(rate.misses),
          strong: (chunks) => (
            <strong className="text-slate-900" data-testid="hit-rate-window">
              {chunks}
            </strong>
          ),
        })}
        series={[
          {
            name: t("hitRate.series"),
            value: (row) => (row.hitRate == null ? null : row.hitRate * 100),
            color: SERIES_COLORS[2],
            dots: true,
          },
        ]}
        format={(v) => `${f.count(Math.round(v))}%`}
        domain={[0, 100]}
      />
    ),
    ops: () => (
      <MetricChart
        key="ops"
        id="ops"
        title={t("ops.title")}
        history={history}
        range={range}
        now={
          <>
            {t("ops.now", { value: perSec(point?.opsPerSec) })}
            {point?.consolePerSec ? (
              <span className="text-slate-500" title={t("ops.ownTitle")}>
                {t("ops.own", { value: perSec(point.consolePerSec) })}
              </span>
            ) : null}
          </>
        }
        series={[
          { name: t("ops.all"), value: (row) => row.opsPerSec, color: TOTAL_COLOR, dashed: true },
          ...history.topCommands.map((command, index) => ({
            name: command,
            value: (row: MetricsRow) => row.commandsPerSec?.[command],
            color: seriesColor(index),
            data: true,
          })),
        ]}
        format={(v) => f.rate(v)}
      />
    ),
    memory: () => (
      <MetricChart
        key="memory"
        id="memory"
        title={t("memory.title")}
        history={history}
        range={range}
        now={
          point
            ? t.rich(point.maxMemory > 0 ? "memory.nowOf" : "memory.nowNoMax", {
                used: f.bytes(point.usedMemory),
                max: f.bytes(point.maxMemory),
                fragmentation: point.fragmentation.toFixed(2),
                code: (chunks) => <code>{chunks}</code>,
              })
            : "—"
        }
        series={[
          { name: t("memory.used"), value: (row) => row.usedMemory, color: SERIES_COLORS[0] },
          ...(point && point.maxMemory > 0
            ? [
                {
                  name: "maxmemory",
                  value: (row: MetricsRow) => row.maxMemory,
                  color: SERIES_COLORS[1],
                  dashed: true,
                  data: true,
                },
              ]
            : []),
          {
            name: t("memory.fragmentation"),
            value: (row) => row.fragmentation,
            color: SERIES_COLORS[3],
            axis: "right" as const,
          },
        ]}
        format={f.bytes}
        scale="bytes"
        rightFormat={(v) => v.toFixed(1)}
      />
    ),
    keys: () => (
      <MetricChart
        key="keys"
        id="keys"
        title={t("keys.title")}
        history={history}
        range={range}
        now={t("keys.now", { evicted: perSec(point?.evictedPerSec), expired: perSec(point?.expiredPerSec) })}
        series={[
          { name: t("keys.evicted"), value: (row) => row.evictedPerSec, color: SERIES_COLORS[1] },
          { name: t("keys.expired"), value: (row) => row.expiredPerSec, color: SERIES_COLORS[0] },
        ]}
        format={(v) => f.rate(v)}
      />
    ),
    clients: () => (
      <MetricChart
        key="clients"
        id="clients"
        title={t("clients.title")}
        history={history}
        range={range}
        now={
          point
            ? t("clients.now", {
                connected: f.count(point.connectedClients),
                blocked: f.count(point.blockedClients),
              })
            : "—"
        }
        series={[
          { name: t("clients.connected"), value: (row) => row.connectedClients, color: SERIES_COLORS[0] },
          { name: t("clients.blocked"), value: (row) => row.blockedClients, color: SERIES_COLORS[1] },
        ]}
        format={(v) => f.count(v)}
      />
    ),
    network: () => (
      <MetricChart
        key="network"
        id="network"
        title={t("network.title")}
        history={history}
        range={range}
        now={
          point
            ? t("network.now", {
                in: bytesPerSec(point.netInPerSec ?? 0),
                out: bytesPerSec(point.netOutPerSec ?? 0),
              })
            : "—"
        }
        series={[
          { name: t("network.in"), value: (row) => row.netInPerSec, color: SERIES_COLORS[2] },
          { name: t("network.out"), value: (row) => row.netOutPerSec, color: SERIES_COLORS[4] },
        ]}
        format={bytesPerSec}
        scale="bytes"
      />
    ),
  };
  return names.map((name) => specs[name]());
}
