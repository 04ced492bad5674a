"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState, useTransition, type ChangeEvent } from "react";
import { queryKeys } from "@/components/query/api";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Notice } from "@/components/ui/notice";
import { ValueDisplay } from "@/components/values/value-view";
import { applyModelChanges, previewBulkEdit } from "@/lib/actions/models";
import type { BulkPreview, BulkRow } from "@/lib/models/bulk";
import { callAction } from "@/components/actions/call-action";
import { ACTION_BODY_LIMIT, formatLimit } from "@/lib/request/limits";

function DiffRows({ title, rows, tone }: { title: string; rows: BulkRow[]; tone: string }) {
  if (rows.length === 0) return null;
  return (
    <section>
      <h3 className={`mb-1 text-sm font-semibold ${tone}`}>
        {title} ({rows.length})
      </h3>
      <ul
        className="max-h-48 overflow-auto rounded-lg border border-slate-200 text-sm"
        data-testid={`bulk-${title.toLowerCase()}`}
      >
        {rows.slice(0, 500).map((row) => (
          <li
            key={row.ref}
            className="flex items-center gap-3 border-b border-slate-100 px-3 py-1.5 last:border-0"
          >
            <span className="w-40 shrink-0 truncate font-mono">{row.name}</span>
            {row.old && <ValueDisplay value={row.old} compact />}
            {row.old && row.new && <span aria-hidden>→</span>}
            {row.new && <ValueDisplay value={row.new} compact />}
          </li>
        ))}
        {rows.length > 500 && <li className="px-3 py-1.5 text-slate-500">… and {rows.length - 500} more</li>}
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
  const queryClient = useQueryClient();
  const [format, setFormat] = useState<"json" | "csv">("json");
  const [text, setText] = useState("");
  const [removeMissing, setRemoveMissing] = useState(false);
  const [preview, setPreview] = useState<BulkPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  async function loadFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    // Refused before it is read: a file the console would refuse anyway would only freeze the tab
    // while a text box takes it in, and replace what the box held.
    if (file.size > ACTION_BODY_LIMIT) {
      setError(
        `${file.name} is ${formatLimit(file.size)}; the console takes at most ${formatLimit(ACTION_BODY_LIMIT)} in one request. The box keeps what it held: split the file into smaller parts.`,
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
        setDone(
          `Applied ${result.data.applied} change${result.data.applied === 1 ? "" : "s"} in one transaction.`,
        );
        setPreview(null);
      } else {
        setError(result.error.message);
        setPreview(null);
      }
    });
  }

  return (
    <Dialog open wide title="Bulk edit" onClose={onClose}>
      <p className="text-sm text-slate-600">
        Paste or upload parameters as JSON (<code>{'{"field": "value"}'}</code>) or CSV (
        <code>field,value</code>). You see the differences first; applying them is one transaction, refused as
        a whole if anything changed meanwhile.
      </p>
      <div className="flex flex-wrap items-center gap-4 text-sm">
        <label className="flex items-center gap-2">
          Format
          <select
            value={format}
            onChange={(event) => setFormat(event.target.value as "json" | "csv")}
            className="rounded-lg border border-slate-300 px-2 py-1"
          >
            <option value="json">JSON</option>
            <option value="csv">CSV</option>
          </select>
        </label>
        <label className="flex items-center gap-2">
          Upload
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
          Remove fields that are not in the upload
        </label>
      </div>
      <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
        Parameters
        <textarea
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
              ? "Nothing would change: every value is already as uploaded."
              : `${preview.changes.length} change${preview.changes.length === 1 ? "" : "s"}; ${preview.unchanged} unchanged.`}
          </p>
          <DiffRows title="Added" rows={preview.added} tone="text-emerald-700" />
          <DiffRows title="Changed" rows={preview.changed} tone="text-amber-700" />
          <DiffRows title="Removed" rows={preview.removed} tone="text-red-700" />
        </div>
      )}
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onClose}>
          Close
        </Button>
        <Button variant="secondary" onClick={showDiff} disabled={pending || !text}>
          Show differences
        </Button>
        <Button onClick={apply} disabled={pending || !preview || preview.changes.length === 0}>
          Apply {preview ? preview.changes.length : ""} changes
        </Button>
      </div>
    </Dialog>
  );
}
