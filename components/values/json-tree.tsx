"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";

// A parsed JSON value as a tree that folds. Every key and value is a React text node: shown, never
// run, and marked translate="no"; only the counts of folded nodes are interface text.

const JSON_CHILDREN = 200;

type ValuesT = ReturnType<typeof useTranslations<"values">>;

/** "array, 3 items", "object, 1 key": what a folded JSON value holds. */
export function jsonShape(json: unknown, t: ValuesT): string {
  if (Array.isArray(json)) return t("json.array", { count: json.length });
  if (json !== null && typeof json === "object") return t("json.object", { count: Object.keys(json).length });
  return "JSON";
}

function JsonLeaf({ value }: { value: unknown }) {
  if (typeof value === "string")
    return (
      <span className="text-emerald-700" translate="no">
        {JSON.stringify(value)}
      </span>
    );
  if (typeof value === "number") return <span className="text-sky-700">{String(value)}</span>;
  if (typeof value === "boolean")
    return (
      <span className="text-violet-700" translate="no">
        {String(value)}
      </span>
    );
  return (
    <span className="text-slate-400 italic" translate="no">
      null
    </span>
  );
}

function JsonKey({ name, index }: { name: string; index: boolean }) {
  return index ? (
    <span className="text-slate-400">{name}: </span>
  ) : (
    <span className="text-slate-700" translate="no">
      {JSON.stringify(name)}:{" "}
    </span>
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
  const t = useTranslations("values");
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
            <span className="px-1 text-slate-400">
              {t(isArray ? "json.items" : "json.keys", { count: entries.length })}
            </span>
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
              <div className="pl-4 text-slate-400">
                {t("json.more", { count: entries.length - JSON_CHILDREN })}
              </div>
            )}
          </div>
          <div className="pl-4 text-slate-500">{end}</div>
        </>
      )}
    </div>
  );
}

export function JsonTree({ json }: { json: unknown }) {
  return (
    <div className="max-h-96 overflow-auto rounded-lg border border-slate-200 bg-slate-50 p-2 font-mono text-xs leading-5">
      <JsonNode value={json} depth={0} inArray={false} />
    </div>
  );
}
