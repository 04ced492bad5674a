"use client";

import { useTranslations } from "next-intl";
import { useState, useTransition, type FormEvent, type KeyboardEvent, type ReactNode } from "react";
import { bytesToRef, textToRef } from "@/components/models/bytes";
import { initialText, isMultiline, KINDS, titleOf, type EditorMode } from "@/components/models/editor-mode";
import { ValueDisplay } from "@/components/values/value-view";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Notice } from "@/components/ui/notice";
import { applyModelChanges, renameModelField } from "@/lib/actions/models";
import type { Conflict } from "@/lib/models/types";
import { inferKindForNewValue, parseTypedInput, type ParsedInput } from "@/lib/values/parse-input";
import type { ValueKind } from "@/lib/values/types";
import { callAction } from "@/components/actions/call-action";
import { useFormat } from "@/components/ui/format";

/** A field name or typed value inside a sentence: Redis data, never translated. */
const data = (chunks: ReactNode) => <span translate="no">{chunks}</span>;

/** The field name of an add or a rename, typed as it will be stored. */
function NameInput({
  label,
  value,
  onChange,
  children,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  children?: ReactNode;
}) {
  return (
    <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
      {label}
      <input
        value={value}
        onChange={(event) => onChange(event.target.value)}
        required
        data-autofocus
        className="rounded-lg border border-slate-300 px-3 py-2 font-mono font-normal"
      />
      {children}
    </label>
  );
}

/** Why typed input is refused, in the reader's language; what they typed stays as typed. */
export function InputProblem({ problem }: { problem: Extract<ParsedInput, { ok: false }> }) {
  const t = useTranslations("values.input");
  return t.rich(problem.key, {
    ...problem.values,
    data: (chunks) => <span translate="no">{chunks}</span>,
    code: (chunks) => <code translate="no">{chunks}</code>,
  });
}

/** Keys inside a hint, in the hint's own type rather than monospace. */
const kbd = (chunks: ReactNode) => <kbd className="font-sans">{chunks}</kbd>;

interface Props {
  connectionId: string;
  keyRef: string;
  editor: EditorMode;
  onClose: () => void;
  /** After a write (or a decision to keep what is there); `note` says what happened when nothing was written. */
  onSaved: (note?: ReactNode) => void;
}

export function FieldEditor({ connectionId, keyRef, editor, onClose, onSaved }: Props) {
  const t = useTranslations("models.editor");
  const tValues = useTranslations("values");
  const f = useFormat();
  const field = editor.mode === "add" ? undefined : editor.field;
  const [name, setName] = useState(editor.mode === "rename" ? editor.field.name : "");
  const [text, setText] = useState(initialText(field));
  const [kind, setKind] = useState<ValueKind>(field ? field.value.kind : "float");
  const [kindTouched, setKindTouched] = useState(editor.mode !== "add");
  const [error, setError] = useState<ReactNode>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [pending, startTransition] = useTransition();

  const effectiveKind = kindTouched ? kind : inferKindForNewValue(text);
  const parsed =
    editor.mode === "edit" || editor.mode === "add" ? parseTypedInput(text, effectiveKind) : null;
  // Decided by the chosen kind, not the inferred one, so the box does not change under the typist.
  const multiline = isMultiline(kindTouched ? kind : (field?.value.kind ?? "float"), initialText(field));
  const unchanged =
    editor.mode === "edit" &&
    !editor.field.value.truncated &&
    editor.field.value.kind !== "vector" &&
    effectiveKind === editor.field.value.kind &&
    text === editor.field.value.display;

  function saveOnModEnter(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      event.currentTarget.form?.requestSubmit();
    }
  }

  function submit(event: FormEvent, overrideDigest?: string | null) {
    event.preventDefault();
    setError(null);
    startTransition(async () => {
      let result;
      if (editor.mode === "rename") {
        if (!name.trim()) return setError(t("typeNewName"));
        result = await callAction(renameModelField, {
          conn: connectionId,
          key: keyRef,
          from: editor.field.ref,
          to: textToRef(name),
          expected: editor.field.digest,
        });
      } else if (editor.mode === "delete") {
        result = await callAction(applyModelChanges, {
          conn: connectionId,
          key: keyRef,
          op: "delete",
          changes: [
            { field: editor.field.ref, expected: overrideDigest ?? editor.field.digest, value: null },
          ],
        });
      } else {
        if (!parsed?.ok) return setError(parsed ? <InputProblem problem={parsed} /> : t("checkValue"));
        if (unchanged && overrideDigest === undefined) {
          onSaved(t.rich("alreadyHolds", { name: editor.field.name, value: text, data }));
          onClose();
          return;
        }
        if (editor.mode === "add" && !name) return setError(t("typeName"));
        result = await callAction(applyModelChanges, {
          conn: connectionId,
          key: keyRef,
          op: editor.mode === "add" ? "add" : "set",
          changes: [
            {
              field: editor.mode === "add" ? textToRef(name) : editor.field.ref,
              expected:
                overrideDigest !== undefined
                  ? overrideDigest
                  : editor.mode === "add"
                    ? null
                    : editor.field.digest,
              value: bytesToRef(parsed.bytes),
            },
          ],
        });
      }
      if (result.ok) {
        const applied = (result.data as { applied?: number } | undefined)?.applied;
        onSaved(applied === 0 && field ? t.rich("alreadyHeld", { name: field.name, data }) : undefined);
        onClose();
        return;
      }
      const conflicts =
        result.error.code === "CONFLICT" ? (result.error.details as Conflict[] | undefined) : undefined;
      if (conflicts?.[0]) setConflict(conflicts[0]);
      setError(result.error.message);
    });
  }

  return (
    <Dialog open title={titleOf(editor, t, data)} onClose={onClose}>
      <form onSubmit={(event) => submit(event)} className="flex flex-col gap-4" noValidate>
        {editor.mode === "add" && <NameInput label={t("name")} value={name} onChange={setName} />}
        {editor.mode === "rename" && (
          <NameInput label={t("newName")} value={name} onChange={setName}>
            <span className="text-xs font-normal text-slate-500">{t("renameHint")}</span>
          </NameInput>
        )}
        {editor.mode === "delete" && (
          <div className="text-sm text-slate-700">
            <p>{t("deleteIntro")}</p>
            <div className="mt-2 rounded-lg bg-slate-50 p-3">
              <ValueDisplay value={editor.field.value} />
            </div>
          </div>
        )}
        {(editor.mode === "edit" || editor.mode === "add") && (
          <>
            <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
              {t("kind")}
              <select
                value={effectiveKind}
                onChange={(event) => {
                  setKind(event.target.value as ValueKind);
                  setKindTouched(true);
                }}
                className="rounded-lg border border-slate-300 px-3 py-2 font-normal"
              >
                {KINDS.map((k) => (
                  <option key={k} value={k}>
                    {tValues(`kinds.${k}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
              {t("value")}
              {multiline ? (
                <textarea
                  translate="no"
                  value={text}
                  onChange={(event) => setText(event.target.value)}
                  onKeyDown={saveOnModEnter}
                  data-autofocus={editor.mode === "edit" ? true : undefined}
                  rows={6}
                  aria-describedby="value-hint"
                  className="rounded-lg border border-slate-300 px-3 py-2 font-mono text-sm font-normal"
                  aria-invalid={parsed ? !parsed.ok : undefined}
                />
              ) : (
                <input
                  value={text}
                  onChange={(event) => setText(event.target.value)}
                  data-autofocus={editor.mode === "edit" ? true : undefined}
                  spellCheck={false}
                  autoComplete="off"
                  aria-describedby="value-hint"
                  className="rounded-lg border border-slate-300 px-3 py-2 font-mono text-sm font-normal"
                  aria-invalid={parsed ? !parsed.ok : undefined}
                />
              )}
              <span id="value-hint" className="text-xs font-normal text-slate-500" data-testid="value-hint">
                {t.rich(multiline ? "hintMultiline" : "hintSingle", { kbd })}
              </span>
            </label>
            {field?.value.truncated && (
              <Notice tone="warning">{t("truncated", { size: f.count(field.value.size) })}</Notice>
            )}
            {field?.value.kind === "vector" && (
              <Notice>{t.rich("vectorHint", { code: (chunks) => <code>{chunks}</code> })}</Notice>
            )}
            {text !== "" && parsed && !parsed.ok && (
              <p className="text-sm text-red-700">
                <InputProblem problem={parsed} />
              </p>
            )}
          </>
        )}
        {error && !conflict && <Notice tone="error">{error}</Notice>}
        {conflict && (
          <Notice tone="warning" title={t("conflictTitle")}>
            <p>{t("conflictBody")}</p>
            <div className="my-2 rounded bg-white/70 p-2" data-testid="conflict-current">
              {conflict.current ? <ValueDisplay value={conflict.current} /> : <em>{t("conflictDeleted")}</em>}
            </div>
            <div className="mt-3 flex flex-wrap gap-2">
              <Button
                type="button"
                variant="secondary"
                onClick={() => {
                  onSaved();
                  onClose();
                }}
              >
                {t("keepTheirs")}
              </Button>
              {editor.mode !== "rename" && (
                <Button
                  type="button"
                  onClick={(event) => submit(event, conflict.currentDigest)}
                  disabled={pending}
                >
                  {editor.mode === "delete" ? t("deleteAnyway") : t("overwrite")}
                </Button>
              )}
            </div>
          </Notice>
        )}
        {!conflict && (
          <div className="flex justify-end gap-2">
            <Button type="button" variant="secondary" onClick={onClose}>
              {t("cancel")}
            </Button>
            <Button type="submit" disabled={pending || (parsed !== null && !parsed.ok)}>
              {pending ? t("saving") : editor.mode === "delete" ? t("delete") : t("save")}
            </Button>
          </div>
        )}
      </form>
    </Dialog>
  );
}
