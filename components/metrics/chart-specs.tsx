"use client";

import type { ReactNode } from "react";
import { SERIES_COLORS, seriesColor, TOTAL_COLOR } from "@/components/charts/theme";
import { MetricChart, type ChartName, type MetricsRow } from "@/components/metrics/metric-chart";
import { formatRate } from "@/components/monitor/live-format";
import { formatBytes, formatCount } from "@/components/ui/format";
import type { MetricsSnapshot } from "@/lib/metrics/history";
import { METRICS_RANGES, type MetricsRange } from "@/lib/metrics/ranges";

// What each of a connection's live charts draws: its series, its units and the figure in its
// caption. MetricChart draws them all alike.

function percent(value: number | null | undefined): string {
  return value === null || value === undefined ? "no reads" : `${(value * 100).toFixed(1)}%`;
}

function perSec(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : `${formatRate(value)}/s`;
}

export function chartsFor(snapshot: MetricsSnapshot, range: MetricsRange, names: ChartName[]): ReactNode[] {
  const { history, latest } = snapshot;
  const point = latest.point;
  const rate = history.hitRate;
  const specs: Record<ChartName, () => ReactNode> = {
    hitRate: () => (
      <MetricChart
        key="hitRate"
        id="hitRate"
        title="Hit rate"
        history={history}
        range={range}
        now={
          <>
            last {METRICS_RANGES[range].label}:{" "}
            <strong className="text-slate-900" data-testid="hit-rate-window">
              {percent(rate.ratio)}
            </strong>{" "}
            ({formatCount(rate.hits)} hits, {formatCount(rate.misses)} misses)
          </>
        }
        series={[
          {
            name: "hit rate",
            value: (row) => (row.hitRate == null ? null : row.hitRate * 100),
            color: SERIES_COLORS[2],
            dots: true,
          },
        ]}
        format={(v) => `${Math.round(v)}%`}
        domain={[0, 100]}
      />
    ),
    ops: () => (
      <MetricChart
        key="ops"
        id="ops"
        title="Operations per second"
        history={history}
        range={range}
        now={
          <>
            now {perSec(point?.opsPerSec)}
            {point?.consolePerSec ? (
              <span className="text-slate-500" title="Commands this console sent itself are not charted">
                {" "}
                (this console’s own {perSec(point.consolePerSec)} left out)
              </span>
            ) : null}
          </>
        }
        series={[
          { name: "all commands", value: (row) => row.opsPerSec, color: TOTAL_COLOR, dashed: true },
          ...history.topCommands.map((command, index) => ({
            name: command,
            value: (row: MetricsRow) => row.commandsPerSec?.[command],
            color: seriesColor(index),
          })),
        ]}
        format={(v) => formatRate(v)}
      />
    ),
    memory: () => (
      <MetricChart
        key="memory"
        id="memory"
        title="Memory"
        history={history}
        range={range}
        now={
          point ? (
            <>
              {formatBytes(point.usedMemory)}
              {point.maxMemory > 0 ? ` of ${formatBytes(point.maxMemory)}` : " (no maxmemory)"}, fragmentation{" "}
              {point.fragmentation.toFixed(2)}
            </>
          ) : (
            "—"
          )
        }
        series={[
          { name: "used", value: (row) => row.usedMemory, color: SERIES_COLORS[0] },
          ...(point && point.maxMemory > 0
            ? [
                {
                  name: "maxmemory",
                  value: (row: MetricsRow) => row.maxMemory,
                  color: SERIES_COLORS[1],
                  dashed: true,
                },
              ]
            : []),
          {
            name: "fragmentation",
            value: (row) => row.fragmentation,
            color: SERIES_COLORS[3],
            axis: "right" as const,
          },
        ]}
        format={formatBytes}
        scale="bytes"
        rightFormat={(v) => v.toFixed(1)}
      />
    ),
    keys: () => (
      <MetricChart
        key="keys"
        id="keys"
        title="Evicted and expired keys per second"
        history={history}
        range={range}
        now={
          <>
            evicted {perSec(point?.evictedPerSec)}, expired {perSec(point?.expiredPerSec)}
          </>
        }
        series={[
          { name: "evicted", value: (row) => row.evictedPerSec, color: SERIES_COLORS[1] },
          { name: "expired", value: (row) => row.expiredPerSec, color: SERIES_COLORS[0] },
        ]}
        format={(v) => formatRate(v)}
      />
    ),
    clients: () => (
      <MetricChart
        key="clients"
        id="clients"
        title="Clients"
        history={history}
        range={range}
        now={
          point ? (
            <>
              {formatCount(point.connectedClients)} connected, {formatCount(point.blockedClients)} blocked
            </>
          ) : (
            "—"
          )
        }
        series={[
          { name: "connected", value: (row) => row.connectedClients, color: SERIES_COLORS[0] },
          { name: "blocked", value: (row) => row.blockedClients, color: SERIES_COLORS[1] },
        ]}
        format={(v) => formatCount(v)}
      />
    ),
    network: () => (
      <MetricChart
        key="network"
        id="network"
        title="Network"
        history={history}
        range={range}
        now={
          point ? (
            <>
              in {formatBytes(point.netInPerSec ?? 0)}/s, out {formatBytes(point.netOutPerSec ?? 0)}/s
            </>
          ) : (
            "—"
          )
        }
        series={[
          { name: "in", value: (row) => row.netInPerSec, color: SERIES_COLORS[2] },
          { name: "out", value: (row) => row.netOutPerSec, color: SERIES_COLORS[4] },
        ]}
        format={(v) => `${formatBytes(v)}/s`}
        scale="bytes"
      />
    ),
  };
  return names.map((name) => specs[name]());
}
