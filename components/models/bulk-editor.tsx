"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState, useTransition, type ChangeEvent, type ReactNode } from "react";
import { queryKeys } from "@/components/query/api";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Notice } from "@/components/ui/notice";
import { ValueDisplay } from "@/components/values/value-view";
import { applyModelChanges, previewBulkEdit } from "@/lib/actions/models";
import type { BulkPreview, BulkRow } from "@/lib/models/bulk";
import { callAction } from "@/components/actions/call-action";
import { ACTION_BODY_LIMIT, formatLimit } from "@/lib/request/limits";

type DiffKind = "added" | "changed" | "removed";

const DIFF_TONES: Record<DiffKind, string> = {
  added: "text-emerald-700",
  changed: "text-amber-700",
  removed: "text-red-700",
};

function DiffRows({ kind, rows }: { kind: DiffKind; rows: BulkRow[] }) {
  const t = useTranslations("models.bulk");
  if (rows.length === 0) return null;
  return (
    <section>
      <h3 className={`mb-1 text-sm font-semibold ${DIFF_TONES[kind]}`}>
        {t(`diff.${kind}`)} ({rows.length})
      </h3>
      <ul
        className="max-h-48 overflow-auto rounded-lg border border-slate-200 text-sm"
        data-testid={`bulk-${kind}`}
      >
        {rows.slice(0, 500).map((row) => (
          <li
            key={row.ref}
            className="flex items-center gap-3 border-b border-slate-100 px-3 py-1.5 last:border-0"
          >
            <span className="w-40 shrink-0 truncate font-mono" translate="no">
              {row.name}
            </span>
            {row.old && <ValueDisplay value={row.old} compact />}
            {row.old && row.new && <span aria-hidden>→</span>}
            {row.new && <ValueDisplay value={row.new} compact />}
          </li>
        ))}
        {rows.length > 500 && (
          <li className="px-3 py-1.5 text-slate-500">{t("more", { count: rows.length - 500 })}</li>
        )}
      </ul>
    </section>
  );
}

export function BulkEditor({
  connectionId,
  keyRef,
  onClose,
}: {
  connectionId: string;
  keyRef: string;
  onClose: () => void;
}) {
  const t = useTranslations("models.bulk");
  const queryClient = useQueryClient();
  const [format, setFormat] = useState<"json" | "csv">("json");
  const [text, setText] = useState("");
  const [removeMissing, setRemoveMissing] = useState(false);
  const [preview, setPreview] = useState<BulkPreview | null>(null);
  const [error, setError] = useState<ReactNode>(null);
  const [done, setDone] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  async function loadFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    // Refused before it is read: a file the console would refuse anyway would only freeze the tab
    // while a text box takes it in, and replace what the box held.
    if (file.size > ACTION_BODY_LIMIT) {
      setError(
        t.rich("tooLarge", {
          file: file.name,
          size: formatLimit(file.size),
          limit: formatLimit(ACTION_BODY_LIMIT),
          data: (chunks) => <span translate="no">{chunks}</span>,
        }),
      );
      event.target.value = "";
      return;
    }
    setError(null);
    setFormat(file.name.toLowerCase().endsWith(".csv") ? "csv" : "json");
    setText(await file.text());
    setPreview(null);
  }

  function showDiff() {
    setError(null);
    setDone(null);
    startTransition(async () => {
      const result = await callAction(previewBulkEdit, {
        conn: connectionId,
        key: keyRef,
        format,
        text,
        removeMissing,
      });
      if (result.ok) setPreview(result.data);
      else setError(result.error.message);
    });
  }

  function apply() {
    if (!preview) return;
    setError(null);
    startTransition(async () => {
      const result = await callAction(applyModelChanges, {
        conn: connectionId,
        key: keyRef,
        op: "bulk",
        changes: preview.changes,
      });
      await queryClient.invalidateQueries({ queryKey: queryKeys.models.model(connectionId, keyRef) });
      if (result.ok) {
        setDone(t("applied", { count: result.data.applied }));
        setPreview(null);
      } else {
        setError(result.error.message);
        setPreview(null);
      }
    });
  }

  return (
    <Dialog open wide title={t("title")} onClose={onClose}>
      <p className="text-sm text-slate-600">
        {t.rich("intro", {
          json: '{"field": "value"}',
          csv: "field,value",
          code: (chunks) => <code>{chunks}</code>,
          name: (chunks) => <span translate="no">{chunks}</span>,
        })}
      </p>
      <div className="flex flex-wrap items-center gap-4 text-sm">
        <label className="flex items-center gap-2">
          {t("format")}
          <select
            value={format}
            onChange={(event) => setFormat(event.target.value as "json" | "csv")}
            className="rounded-lg border border-slate-300 px-2 py-1"
          >
            <option value="json">JSON</option>
            <option value="csv" translate="no">
              CSV
            </option>
          </select>
        </label>
        <label className="flex items-center gap-2">
          {t("upload")}
          <input
            type="file"
            accept=".json,.csv,application/json,text/csv"
            onChange={loadFile}
            className="text-xs"
          />
        </label>
        <label className="flex items-center gap-2">
          <input
            type="checkbox"
            checked={removeMissing}
            onChange={(event) => setRemoveMissing(event.target.checked)}
          />
          {t("removeMissing")}
        </label>
      </div>
      <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
        {t("parameters")}
        <textarea
          translate="no"
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            setPreview(null);
          }}
          rows={8}
          className="rounded-lg border border-slate-300 px-3 py-2 font-mono text-xs font-normal"
        />
      </label>
      {error && <Notice tone="error">{error}</Notice>}
      {done && <Notice>{done}</Notice>}
      {preview && (
        <div className="flex flex-col gap-3">
          <p className="text-sm text-slate-600">
            {preview.changes.length === 0
              ? t("nothingWouldChange")
              : t("summary", { count: preview.changes.length, unchanged: preview.unchanged })}
          </p>
          <DiffRows kind="added" rows={preview.added} />
          <DiffRows kind="changed" rows={preview.changed} />
          <DiffRows kind="removed" rows={preview.removed} />
        </div>
      )}
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onClose}>
          {t("close")}
        </Button>
        <Button variant="secondary" onClick={showDiff} disabled={pending || !text}>
          {t("showDiff")}
        </Button>
        <Button onClick={apply} disabled={pending || !preview || preview.changes.length === 0}>
          {t("apply", { count: preview ? String(preview.changes.length) : "" })}
        </Button>
      </div>
    </Dialog>
  );
}
