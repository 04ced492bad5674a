"use client";

import { useState, type ReactNode } from "react";
import { CartesianGrid, Line, LineChart, ReferenceArea, Tooltip, XAxis, YAxis } from "recharts";
import { ChartLegend } from "@/components/charts/legend";
import { CHART_AXIS, CHART_GRID, CHART_TICK, CHART_TOOLTIP } from "@/components/charts/theme";
import { useMetrics } from "@/components/metrics/use-metrics";
import { formatClock, formatRate, formatSpan } from "@/components/monitor/live-format";
import { formatBytes, formatCount } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import type { MetricsGap, MetricsHistory, MetricsPoint, MetricsSnapshot } from "@/lib/metrics/history";
import { METRICS_RANGE_NAMES, METRICS_RANGES, type MetricsRange } from "@/lib/metrics/ranges";

// The live charts of a connection (issue: metrics and hit rate): one range at a time, all charts
// sharing its time axis. Holes in the data are drawn as holes — shaded and named — never bridged.

export type ChartName = "hitRate" | "ops" | "memory" | "keys" | "clients" | "network";

const CHART_HEIGHT = 170;
const Y_WIDTH = 64;
// Tailwind's sky/rose/emerald/amber/violet-600 and slate: recharts paints SVG attributes, not classes.
const COLORS = ["#0284c7", "#e11d48", "#059669", "#d97706", "#7c3aed"] as const;
const SLATE = "#475569";
/** Beyond this many points, dots would blur into a band. */
const DOTS_UP_TO = 400;
const GAP_FILL = { unreachable: "#fecaca", "not-sampled": "#e2e8f0" } as const;
const GAP_LABEL = { unreachable: "Redis unreachable", "not-sampled": "not sampled" } as const;

/** A row per point, plus an empty row where each gap starts so that no line bridges it. */
type Row = Partial<MetricsPoint> & { at: number };

function rowsOf(history: MetricsHistory): Row[] {
  const rows: Row[] = [...history.points];
  for (const gap of history.gaps) rows.push({ at: gap.from });
  return rows.sort((a, b) => a.at - b.at);
}

function tickFormatter(range: MetricsRange) {
  // Seconds matter on the 1-minute chart only.
  return (ms: number) => (range === "1m" ? formatClock(ms) : formatClock(ms).slice(0, 5));
}

function clockLabel(value: unknown): string {
  return typeof value === "number" ? `${formatClock(value)} UTC` : String(value);
}

function percent(value: number | null | undefined): string {
  return value === null || value === undefined ? "no reads" : `${(value * 100).toFixed(1)}%`;
}

function perSec(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : `${formatRate(value)}/s`;
}

interface SeriesSpec {
  name: string;
  value: (row: Row) => number | null | undefined;
  color: string;
  dashed?: boolean;
  axis?: "left" | "right";
  /** Marks each point: for series where a lone point between holes is common (one second of reads). */
  dots?: boolean;
}

function Chart({
  id,
  title,
  now,
  history,
  range,
  series,
  format,
  rightFormat,
  domain,
}: {
  id: ChartName;
  title: string;
  now: ReactNode;
  history: MetricsHistory;
  range: MetricsRange;
  series: SeriesSpec[];
  format: (value: number) => string;
  rightFormat?: (value: number) => string;
  domain?: [number, number];
}) {
  const rows = rowsOf(history);
  const formatFor = (name: string) =>
    series.find((s) => s.name === name)?.axis === "right" && rightFormat ? rightFormat : format;
  const tooltipFormatter = (value: unknown, name: unknown) =>
    typeof value === "number" ? formatFor(String(name))(value) : "—";
  return (
    <figure className="flex min-w-0 flex-col gap-2" data-testid={`chart-${id}`}>
      <figcaption className="flex flex-wrap items-baseline justify-between gap-x-3">
        <span className="text-sm font-semibold text-slate-700">{title}</span>
        <span className="text-xs text-slate-600 tabular-nums" data-testid={`chart-${id}-now`}>
          {now}
        </span>
      </figcaption>
      <LineChart
        data={rows}
        responsive
        style={{ width: "100%", height: CHART_HEIGHT }}
        margin={{ top: 4, right: rightFormat ? 0 : 8, bottom: 4, left: 0 }}
        title={`${title}, last ${METRICS_RANGES[range].label}`}
      >
        <CartesianGrid vertical={false} stroke={CHART_GRID} />
        <XAxis
          dataKey="at"
          type="number"
          scale="time"
          domain={[history.from, history.to]}
          allowDataOverflow
          tick={CHART_TICK}
          stroke={CHART_AXIS}
          tickFormatter={tickFormatter(range)}
          minTickGap={48}
        />
        <YAxis
          yAxisId="left"
          tick={CHART_TICK}
          stroke={CHART_AXIS}
          width={Y_WIDTH}
          tickFormatter={format}
          domain={domain ?? [0, "auto"]}
          allowDecimals={false}
        />
        {rightFormat && (
          <YAxis
            yAxisId="right"
            orientation="right"
            tick={CHART_TICK}
            stroke={CHART_AXIS}
            width={44}
            tickFormatter={rightFormat}
            domain={[0, "auto"]}
          />
        )}
        {history.gaps.map((gap) => (
          <ReferenceArea
            key={`${gap.from}-${gap.reason}`}
            yAxisId="left"
            x1={Math.max(gap.from, history.from)}
            x2={gap.to ?? history.to}
            fill={GAP_FILL[gap.reason]}
            fillOpacity={0.6}
            ifOverflow="hidden"
            label={{ value: GAP_LABEL[gap.reason], position: "insideTop", fontSize: 10, fill: "#64748b" }}
          />
        ))}
        <Tooltip labelFormatter={clockLabel} formatter={tooltipFormatter} {...CHART_TOOLTIP} />
        {series.map((s) => (
          <Line
            key={s.name}
            yAxisId={s.axis ?? "left"}
            // A function, not a path string: command names contain "|" and dots.
            dataKey={(row: Row) => s.value(row) ?? null}
            name={s.name}
            stroke={s.color}
            strokeDasharray={s.dashed ? "4 3" : undefined}
            strokeWidth={1.5}
            dot={s.dots && rows.length <= DOTS_UP_TO ? { r: 1.5, strokeWidth: 1 } : false}
            connectNulls={false}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
      <ChartLegend items={series.map(({ name, color, dashed }) => ({ name, color, dashed }))} />
    </figure>
  );
}

function GapList({ gaps, to }: { gaps: MetricsGap[]; to: number }) {
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
          {gap.reason === "unreachable" ? "Redis did not answer" : "Nobody was sampling"} from{" "}
          {formatClock(gap.from)}
          {gap.to === null
            ? ` UTC until now (${formatSpan(to - gap.from)})`
            : ` to ${formatClock(gap.to)} UTC (${formatSpan(gap.to - gap.from)})`}
          : no figures for that span.
        </li>
      ))}
    </ul>
  );
}

function chartsFor(snapshot: MetricsSnapshot, range: MetricsRange, names: ChartName[]): ReactNode[] {
  const { history, latest } = snapshot;
  const point = latest.point;
  const rate = history.hitRate;
  const specs: Record<ChartName, () => ReactNode> = {
    hitRate: () => (
      <Chart
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
            color: COLORS[2],
            dots: true,
          },
        ]}
        format={(v) => `${Math.round(v)}%`}
        domain={[0, 100]}
      />
    ),
    ops: () => (
      <Chart
        key="ops"
        id="ops"
        title="Operations per second"
        history={history}
        range={range}
        now={<>now {perSec(point?.opsPerSec)}</>}
        series={[
          { name: "all commands", value: (row) => row.opsPerSec, color: SLATE, dashed: true },
          ...history.topCommands.map((command, index) => ({
            name: command,
            value: (row: Row) => row.commandsPerSec?.[command],
            color: COLORS[index % COLORS.length]!,
          })),
        ]}
        format={(v) => formatRate(v)}
      />
    ),
    memory: () => (
      <Chart
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
          { name: "used", value: (row) => row.usedMemory, color: COLORS[0] },
          ...(point && point.maxMemory > 0
            ? [{ name: "maxmemory", value: (row: Row) => row.maxMemory, color: COLORS[1], dashed: true }]
            : []),
          {
            name: "fragmentation",
            value: (row) => row.fragmentation,
            color: COLORS[3],
            axis: "right" as const,
          },
        ]}
        format={formatBytes}
        rightFormat={(v) => v.toFixed(1)}
      />
    ),
    keys: () => (
      <Chart
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
          { name: "evicted", value: (row) => row.evictedPerSec, color: COLORS[1] },
          { name: "expired", value: (row) => row.expiredPerSec, color: COLORS[0] },
        ]}
        format={(v) => formatRate(v)}
      />
    ),
    clients: () => (
      <Chart
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
          { name: "connected", value: (row) => row.connectedClients, color: COLORS[0] },
          { name: "blocked", value: (row) => row.blockedClients, color: COLORS[1] },
        ]}
        format={(v) => formatCount(v)}
      />
    ),
    network: () => (
      <Chart
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
          { name: "in", value: (row) => row.netInPerSec, color: COLORS[2] },
          { name: "out", value: (row) => row.netOutPerSec, color: COLORS[4] },
        ]}
        format={(v) => `${formatBytes(v)}/s`}
      />
    ),
  };
  return names.map((name) => specs[name]());
}

function RangeSwitch({ range, onChange }: { range: MetricsRange; onChange: (range: MetricsRange) => void }) {
  return (
    <div
      role="group"
      aria-label="Chart range"
      className="inline-flex rounded-lg border border-slate-300 p-0.5"
    >
      {METRICS_RANGE_NAMES.map((name) => (
        <button
          key={name}
          type="button"
          aria-pressed={name === range}
          title={`Last ${METRICS_RANGES[name].label}`}
          onClick={() => onChange(name)}
          className={`rounded-md px-2.5 py-1 text-xs font-medium ${
            name === range ? "bg-slate-800 text-white" : "text-slate-600 hover:bg-slate-100"
          }`}
        >
          {name}
        </button>
      ))}
    </div>
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
  const [range, setRange] = useState<MetricsRange>("1m");
  const feed = useMetrics(connectionId, range);
  const snapshot = feed.snapshot;
  const latest = snapshot?.latest;
  const how = feed.streaming
    ? "live over this page's stream"
    : `polling every ${formatSpan(METRICS_RANGES[range].pollMs)} while the live stream is ${feed.live.status}`;

  return (
    <section
      className="rounded-xl border border-slate-200 bg-white shadow-sm"
      aria-label={title}
      data-testid="metrics-charts"
    >
      <header className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-100 px-5 py-3">
        <div className="flex flex-col">
          <h2 className="text-sm font-semibold text-slate-700">{title}</h2>
          <p className="text-xs text-slate-500" data-testid="metrics-source">
            INFO every second, {how}
            {snapshot && snapshot.history.stepMs > 1_000
              ? `; a point per ${formatSpan(snapshot.history.stepMs)}`
              : ""}
            .
          </p>
        </div>
        <RangeSwitch range={range} onChange={setRange} />
      </header>
      <div className="flex flex-col gap-4 p-5">
        {feed.error && (
          <Notice tone={snapshot ? "warning" : "error"} title="The charts could not be updated">
            {feed.error.message} The page tries again by itself.
          </Notice>
        )}
        {latest?.state === "unreachable" && (
          <Notice tone="warning" title="Redis is not answering">
            No reading since {latest.since ? `${formatClock(latest.since)} UTC` : "the start"}; the charts
            show the gap and carry on when it answers again.
          </Notice>
        )}
        {!snapshot && !feed.error && <p className="text-sm text-slate-500">Loading the charts…</p>}
        {snapshot && (
          <>
            <div className="grid grid-cols-1 gap-x-8 gap-y-6 xl:grid-cols-2">
              {chartsFor(snapshot, range, charts)}
            </div>
            <GapList gaps={snapshot.history.gaps} to={snapshot.history.to} />
          </>
        )}
      </div>
    </section>
  );
}
