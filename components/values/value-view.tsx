"use client";

import { useState, type ReactNode } from "react";
import { Line, LineChart, YAxis } from "recharts";
import { formatMeasure, VectorHistogram } from "@/components/models/param-chart";
import { formatBytes } from "@/components/ui/format";
import { KIND_LABELS } from "@/lib/values/parse-input";
import type { ValueKind, ValueView } from "@/lib/values/types";

// Every piece of user data below is a React text node or an attribute value: shown, never run.

const BADGES: Record<ValueKind, { label: string; tone: string }> = {
  integer: { label: "int", tone: "bg-sky-50 text-sky-700 ring-sky-200" },
  float: { label: "float", tone: "bg-indigo-50 text-indigo-700 ring-indigo-200" },
  boolean: { label: "bool", tone: "bg-violet-50 text-violet-700 ring-violet-200" },
  json: { label: "json", tone: "bg-amber-50 text-amber-800 ring-amber-200" },
  text: { label: "text", tone: "bg-slate-100 text-slate-600 ring-slate-200" },
  binary: { label: "hex", tone: "bg-stone-100 text-stone-700 ring-stone-300" },
  vector: { label: "vector", tone: "bg-emerald-50 text-emerald-700 ring-emerald-200" },
};

const PREVIEW_CHARS = 160;
const JSON_CHILDREN = 200;
const LINE = "#0284c7";

export function KindBadge({ kind }: { kind: ValueKind }) {
  const badge = BADGES[kind];
  return (
    <span
      className={`inline-flex items-center rounded px-1.5 py-0.5 text-[11px] leading-none font-medium tracking-wide uppercase ring-1 ring-inset ${badge.tone}`}
      title={KIND_LABELS[kind]}
      data-testid="kind-badge"
    >
      {badge.label}
    </span>
  );
}

function TruncationNote({ value }: { value: ValueView }) {
  if (!value.truncated) return null;
  const shown =
    value.kind === "binary"
      ? Math.ceil(value.display.length / 3)
      : new TextEncoder().encode(value.display).byteLength;
  return (
    <p className="text-xs text-amber-700" data-testid="value-truncated">
      showing the first {formatBytes(shown)} of {formatBytes(value.size)}
    </p>
  );
}

function ToggleButton({ open, onClick, label }: { open: boolean; onClick: () => void; label: string }) {
  return (
    <button
      type="button"
      onClick={onClick}
      aria-expanded={open}
      className="focus-visible:ring-brand-500 shrink-0 rounded px-1 text-xs font-medium text-sky-700 hover:bg-sky-50 hover:text-sky-900 focus-visible:ring-2 focus-visible:outline-none"
    >
      {label}
    </button>
  );
}

function oneLine(text: string): string {
  const line = text.replace(/\r?\n/g, " ↵ ").replace(/\t/g, " ");
  return line.length > PREVIEW_CHARS ? `${line.slice(0, PREVIEW_CHARS)}…` : line;
}

function jsonShape(json: unknown): string {
  if (Array.isArray(json)) return `array, ${json.length} ${json.length === 1 ? "item" : "items"}`;
  if (json !== null && typeof json === "object") {
    const keys = Object.keys(json).length;
    return `object, ${keys} ${keys === 1 ? "key" : "keys"}`;
  }
  return "JSON";
}

function Sparkline({ sample, wide }: { sample: number[]; wide?: boolean }) {
  const data = sample.map((value, index) => ({ index, value }));
  const size = wide ? { responsive: true, style: { width: "100%", height: 72 } } : { width: 120, height: 24 };
  return (
    <span
      aria-hidden
      className={wide ? "block w-full" : "inline-block shrink-0"}
      data-testid="vector-sparkline"
    >
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
    </span>
  );
}

function JsonLeaf({ value }: { value: unknown }) {
  if (typeof value === "string") return <span className="text-emerald-700">{JSON.stringify(value)}</span>;
  if (typeof value === "number") return <span className="text-sky-700">{String(value)}</span>;
  if (typeof value === "boolean") return <span className="text-violet-700">{String(value)}</span>;
  return <span className="text-slate-400 italic">null</span>;
}

function JsonKey({ name, index }: { name: string; index: boolean }) {
  return index ? (
    <span className="text-slate-400">{name}: </span>
  ) : (
    <span className="text-slate-700">{JSON.stringify(name)}: </span>
  );
}

/** One node of a JSON tree; objects and arrays fold, the first two levels start open. */
function JsonNode({
  name,
  value,
  depth,
  inArray,
}: {
  name?: string;
  value: unknown;
  depth: number;
  inArray: boolean;
}) {
  const [open, setOpen] = useState(depth < 2);
  const label = name === undefined ? null : <JsonKey name={name} index={inArray} />;
  if (value === null || typeof value !== "object") {
    return (
      <div className="pl-4">
        {label}
        <JsonLeaf value={value} />
      </div>
    );
  }
  const isArray = Array.isArray(value);
  const entries: [string, unknown][] = isArray
    ? (value as unknown[]).map((item, index) => [String(index), item])
    : Object.entries(value);
  const [start, end] = isArray ? ["[", "]"] : ["{", "}"];
  const count = `${entries.length} ${isArray ? (entries.length === 1 ? "item" : "items") : entries.length === 1 ? "key" : "keys"}`;
  return (
    <div>
      <button
        type="button"
        onClick={() => setOpen(!open)}
        aria-expanded={open}
        className="focus-visible:ring-brand-500 rounded text-left hover:bg-slate-100 focus-visible:ring-2 focus-visible:outline-none"
      >
        <span aria-hidden className="inline-block w-4 text-slate-400">
          {open ? "▾" : "▸"}
        </span>
        {label}
        <span className="text-slate-500">{start}</span>
        {!open && (
          <>
            <span className="px-1 text-slate-400">{count}</span>
            <span className="text-slate-500">{end}</span>
          </>
        )}
      </button>
      {open && (
        <>
          <div className="ml-2 border-l border-slate-200 pl-2">
            {entries.slice(0, JSON_CHILDREN).map(([key, item]) => (
              <JsonNode key={key} name={key} value={item} depth={depth + 1} inArray={isArray} />
            ))}
            {entries.length > JSON_CHILDREN && (
              <div className="pl-4 text-slate-400">… {entries.length - JSON_CHILDREN} more</div>
            )}
          </div>
          <div className="pl-4 text-slate-500">{end}</div>
        </>
      )}
    </div>
  );
}

function JsonTree({ json }: { json: unknown }) {
  return (
    <div className="max-h-96 overflow-auto rounded-lg border border-slate-200 bg-slate-50 p-2 font-mono text-xs leading-5">
      <JsonNode value={json} depth={0} inArray={false} />
    </div>
  );
}

function FullText({ text, mono }: { text: string; mono?: boolean }) {
  return (
    <pre
      className={`max-h-96 overflow-auto rounded-lg border border-slate-200 bg-slate-50 p-2 text-xs leading-5 break-all whitespace-pre-wrap text-slate-800 ${mono ? "font-mono" : "font-sans"}`}
    >
      {text}
    </pre>
  );
}

/** Text, hex or JSON shown as one line, with a control that opens the whole of it below. */
function Expandable({
  value,
  preview,
  mono,
  full,
  collapsedLabel,
}: {
  value: ValueView;
  preview: string;
  mono?: boolean;
  full: ReactNode;
  collapsedLabel: string;
}) {
  const [open, setOpen] = useState(false);
  const needsToggle = value.kind === "json" || value.truncated || preview !== value.display;
  return (
    <div className="flex min-w-0 flex-col gap-1">
      <div className="flex min-w-0 items-center gap-1.5">
        {value.kind === "json" && (
          <button
            type="button"
            onClick={() => setOpen(!open)}
            aria-expanded={open}
            aria-label={open ? "Collapse JSON" : "Expand JSON"}
            className="focus-visible:ring-brand-500 w-4 shrink-0 rounded text-slate-500 hover:text-slate-900 focus-visible:ring-2 focus-visible:outline-none"
          >
            {open ? "▾" : "▸"}
          </button>
        )}
        {open && value.kind === "json" && (
          <span className="text-xs text-slate-500">{jsonShape(value.json)}</span>
        )}
        {!open && (
          <span
            className={`max-w-[32rem] min-w-0 truncate text-slate-800 ${mono ? "font-mono text-xs" : "text-sm"}`}
            data-testid="value-preview"
          >
            {preview === "" ? <span className="text-slate-400 italic">(empty)</span> : preview}
          </span>
        )}
        {value.kind === "binary" && (
          <span className="shrink-0 text-xs text-slate-500">{formatBytes(value.size)}</span>
        )}
        {needsToggle && value.kind !== "json" && (
          <ToggleButton
            open={open}
            onClick={() => setOpen(!open)}
            label={open ? "collapse" : collapsedLabel}
          />
        )}
      </div>
      {open && full}
      {value.truncated && <TruncationNote value={value} />}
    </div>
  );
}

function NumberValue({ value, compact }: { value: ValueView; compact?: boolean }) {
  return (
    <span
      className={`block truncate font-mono text-slate-900 tabular-nums ${compact ? "text-sm" : "text-lg"}`}
      title={value.display}
    >
      {value.display}
    </span>
  );
}

function BooleanValue({ value }: { value: ValueView }) {
  const on = value.display === "true";
  return (
    <span
      className={`inline-flex items-center rounded-full px-2 py-0.5 font-mono text-xs font-medium ring-1 ring-inset ${on ? "bg-emerald-50 text-emerald-700 ring-emerald-200" : "bg-slate-100 text-slate-600 ring-slate-200"}`}
    >
      {value.display}
    </span>
  );
}

function VectorValue({ value, compact }: { value: ValueView; compact?: boolean }) {
  const vector = value.vector;
  if (!vector) return <span className="font-mono text-xs text-slate-800">{value.display}</span>;
  const stats: [string, string][] = [
    ["min", formatMeasure(vector.min)],
    ["max", formatMeasure(vector.max)],
    ["mean", formatMeasure(vector.mean)],
  ];
  if (compact) {
    return (
      <div className="flex min-w-0 items-center gap-3">
        <span className="truncate font-mono text-xs text-slate-800" data-testid="vector-summary">
          <span className="font-semibold">float32[{vector.length}]</span>
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
        {[["length", `float32[${vector.length}]`] as [string, string], ...stats].map(([name, figure]) => (
          <div key={name} className="rounded-lg border border-slate-200 bg-white px-3 py-2">
            <dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">{name}</dt>
            <dd className="mt-0.5 font-mono text-sm text-slate-900 tabular-nums">{figure}</dd>
          </div>
        ))}
      </dl>
      <div>
        <p className="mb-1 text-xs text-slate-500">
          Values in order
          {vector.sample.length < vector.length
            ? `, one in every ${Math.ceil(vector.length / vector.sample.length)}`
            : ""}
        </p>
        <Sparkline sample={vector.sample} wide />
      </div>
      <VectorHistogram sample={vector.sample} min={vector.min} max={vector.max} length={vector.length} />
    </div>
  );
}

/**
 * A stored value shown for what it is. `compact` fits a table cell on one line, with controls to
 * open JSON, long text and hex; otherwise the whole value is laid out.
 */
export function ValueDisplay({ value, compact }: { value: ValueView; compact?: boolean }) {
  let body: ReactNode;
  switch (value.kind) {
    case "integer":
    case "float":
      body = <NumberValue value={value} compact={compact} />;
      break;
    case "boolean":
      body = <BooleanValue value={value} />;
      break;
    case "vector":
      body = <VectorValue value={value} compact={compact} />;
      break;
    case "json": {
      const tree =
        value.json === undefined ? <FullText text={value.display} mono /> : <JsonTree json={value.json} />;
      if (!compact) {
        body = (
          <>
            {tree}
            <TruncationNote value={value} />
          </>
        );
        break;
      }
      const preview = oneLine(value.json === undefined ? value.display : JSON.stringify(value.json));
      body = <Expandable value={value} preview={preview} mono full={tree} collapsedLabel="expand" />;
      break;
    }
    case "text":
    case "binary": {
      const mono = value.kind === "binary";
      const full = <FullText text={value.display} mono={mono} />;
      if (!compact) {
        body = (
          <>
            {value.kind === "binary" && <p className="text-xs text-slate-500">{formatBytes(value.size)}</p>}
            {value.display === "" ? <p className="text-sm text-slate-400 italic">(empty)</p> : full}
            <TruncationNote value={value} />
          </>
        );
        break;
      }
      body = (
        <Expandable
          value={value}
          preview={oneLine(value.display)}
          mono={mono}
          full={full}
          collapsedLabel="expand"
        />
      );
      break;
    }
  }
  return (
    <div
      className={`min-w-0 ${compact ? "" : "flex flex-col gap-2"}`}
      data-testid="value-display"
      data-kind={value.kind}
    >
      {body}
    </div>
  );
}
