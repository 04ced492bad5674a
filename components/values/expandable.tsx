"use client";

import { useTranslations } from "next-intl";
import { useState, type ReactNode } from "react";
import { useFormat } from "@/components/ui/format";
import { jsonShape } from "@/components/values/json-tree";
import type { ValueView } from "@/lib/values/types";

// Text, hex and JSON values too long for a line: a one-line preview that opens the whole value,
// and the note that says when the server sent only the start of it.

const PREVIEW_CHARS = 160;

/** The value on one line, newlines and tabs shown, cut at PREVIEW_CHARS. */
export function oneLine(text: string): string {
  const line = text.replace(/\r?\n/g, " ↵ ").replace(/\t/g, " ");
  return line.length > PREVIEW_CHARS ? `${line.slice(0, PREVIEW_CHARS)}…` : line;
}

export function TruncationNote({ value }: { value: ValueView }) {
  const t = useTranslations("values");
  const f = useFormat();
  if (!value.truncated) return null;
  const shown =
    value.kind === "binary"
      ? Math.ceil(value.display.length / 3)
      : new TextEncoder().encode(value.display).byteLength;
  return (
    <p className="text-xs text-amber-700" data-testid="value-truncated">
      {t("truncated", { shown: f.bytes(shown), size: f.bytes(value.size) })}
    </p>
  );
}

export function FullText({ text, mono }: { text: string; mono?: boolean }) {
  return (
    <pre
      translate="no"
      className={`max-h-96 overflow-auto rounded-lg border border-slate-200 bg-slate-50 p-2 text-xs leading-5 break-all whitespace-pre-wrap text-slate-800 ${mono ? "font-mono" : "font-sans"}`}
    >
      {text}
    </pre>
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

/** Text, hex or JSON shown as one line, with a control that opens the whole of it below. */
export function Expandable({
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
  const t = useTranslations("values");
  const f = useFormat();
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
            aria-label={open ? t("collapseJson") : t("expandJson")}
            className="focus-visible:ring-brand-500 w-4 shrink-0 rounded text-slate-500 hover:text-slate-900 focus-visible:ring-2 focus-visible:outline-none"
          >
            {open ? "▾" : "▸"}
          </button>
        )}
        {open && value.kind === "json" && (
          <span className="text-xs text-slate-500">{jsonShape(value.json, t)}</span>
        )}
        {!open && (
          <span
            className={`max-w-[32rem] min-w-0 truncate text-slate-800 ${mono ? "font-mono text-xs" : "text-sm"}`}
            data-testid="value-preview"
          >
            {preview === "" ? (
              <span className="text-slate-400 italic">{t("empty")}</span>
            ) : (
              <span translate="no">{preview}</span>
            )}
          </span>
        )}
        {value.kind === "binary" && (
          <span className="shrink-0 text-xs text-slate-500">{f.bytes(value.size)}</span>
        )}
        {needsToggle && value.kind !== "json" && (
          <ToggleButton
            open={open}
            onClick={() => setOpen(!open)}
            label={open ? t("collapse") : collapsedLabel}
          />
        )}
      </div>
      {open && full}
      {value.truncated && <TruncationNote value={value} />}
    </div>
  );
}
