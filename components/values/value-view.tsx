"use client";

import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { useFormat } from "@/components/ui/format";
import { Expandable, FullText, oneLine, TruncationNote } from "@/components/values/expandable";
import { JsonTree } from "@/components/values/json-tree";
import { VectorValue } from "@/components/values/vector-value";
import type { ValueKind, ValueView } from "@/lib/values/types";

// Every piece of user data below is a React text node or an attribute value: shown, never run,
// and marked translate="no" (it is data, in no language of ours).

const BADGE_TONES: Record<ValueKind, string> = {
  integer: "bg-sky-50 text-sky-700 ring-sky-200",
  float: "bg-indigo-50 text-indigo-700 ring-indigo-200",
  boolean: "bg-violet-50 text-violet-700 ring-violet-200",
  json: "bg-amber-50 text-amber-800 ring-amber-200",
  text: "bg-slate-100 text-slate-600 ring-slate-200",
  binary: "bg-stone-100 text-stone-700 ring-stone-300",
  vector: "bg-emerald-50 text-emerald-700 ring-emerald-200",
};

export function KindBadge({ kind }: { kind: ValueKind }) {
  const t = useTranslations("values");
  return (
    <span
      className={`inline-flex items-center rounded px-1.5 py-0.5 text-[11px] leading-none font-medium tracking-wide whitespace-nowrap uppercase ring-1 ring-inset ${BADGE_TONES[kind]}`}
      title={t(`kinds.${kind}`)}
      data-testid="kind-badge"
    >
      {t(`badges.${kind}`)}
    </span>
  );
}

function NumberValue({ value, compact }: { value: ValueView; compact?: boolean }) {
  return (
    <span
      className={`block truncate font-mono text-slate-900 tabular-nums ${compact ? "text-sm" : "text-lg"}`}
      title={value.display}
      translate="no"
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
      translate="no"
    >
      {value.display}
    </span>
  );
}

/**
 * A stored value shown for what it is. `compact` fits a table cell on one line, with controls to
 * open JSON, long text and hex; otherwise the whole value is laid out.
 */
export function ValueDisplay({ value, compact }: { value: ValueView; compact?: boolean }) {
  const t = useTranslations("values");
  const f = useFormat();
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
      body = <Expandable value={value} preview={preview} mono full={tree} collapsedLabel={t("expand")} />;
      break;
    }
    case "text":
    case "binary": {
      const mono = value.kind === "binary";
      const full = <FullText text={value.display} mono={mono} />;
      if (!compact) {
        body = (
          <>
            {value.kind === "binary" && <p className="text-xs text-slate-500">{f.bytes(value.size)}</p>}
            {value.display === "" ? <p className="text-sm text-slate-400 italic">{t("empty")}</p> : full}
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
          collapsedLabel={t("expand")}
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
