"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent, type ReactNode } from "react";
import { callAction } from "@/components/actions/call-action";
import { textToRef } from "@/components/models/bytes";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Notice } from "@/components/ui/notice";
import { cloneModel } from "@/lib/actions/models";
import type { ModelSummary } from "@/lib/models/summary";

/**
 * The name a clone is proposed under: the next version of a versioned model, or version 1 of a
 * plain hash under `model:<name>:v<N>`, so later clones group with it.
 */
export function proposedCloneName(summary: ModelSummary): string {
  if (summary.version === null) return `model:${summary.name}:v1`;
  const newest = Math.max(summary.version, ...summary.versions.map((v) => v.version));
  return `model:${summary.name}:v${newest + 1}`;
}

/** A key name inside a sentence: Redis data, never translated. */
const data = (chunks: ReactNode) => (
  <span className="font-mono" translate="no">
    {chunks}
  </span>
);

/** Asks before cloning, with the new key's name (editable), then opens the clone. */
export function CloneDialog({
  connectionId,
  summary,
  onClose,
}: {
  connectionId: string;
  summary: ModelSummary;
  onClose: () => void;
}) {
  const t = useTranslations("models.clone");
  const router = useRouter();
  const proposal = proposedCloneName(summary);
  const [name, setName] = useState(proposal);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) return setError(t("typeName"));
    setError(null);
    startTransition(async () => {
      // The proposed next version is left to the server, which takes the next free one.
      const target = summary.version !== null && name === proposal ? undefined : textToRef(name);
      const result = await callAction(cloneModel, { conn: connectionId, source: summary.ref, target });
      if (!result.ok) return setError(result.error.message);
      router.push(`/models/${result.data.ref}?${new URLSearchParams({ cloned: summary.ref })}`);
    });
  }

  return (
    <Dialog
      open
      title={t.rich("title", { key: summary.key, data: (chunks) => <span translate="no">{chunks}</span> })}
      onClose={onClose}
    >
      <form onSubmit={submit} className="flex flex-col gap-4 text-sm text-slate-700" noValidate>
        <p>{t.rich("intro", { key: summary.key, data })}</p>
        <label className="flex flex-col gap-1 font-medium">
          {t("newKey")}
          <input
            value={name}
            onChange={(event) => setName(event.target.value)}
            data-autofocus
            spellCheck={false}
            autoComplete="off"
            className="rounded-lg border border-slate-300 px-3 py-2 font-mono font-normal"
          />
        </label>
        {error && <Notice tone="error">{error}</Notice>}
        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={onClose}>
            {t("cancel")}
          </Button>
          <Button type="submit" disabled={pending}>
            {pending
              ? t("cloning")
              : t.rich("cloneTo", { name, data: (chunks) => <span translate="no">{chunks}</span> })}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
