"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState, useTransition, type FormEvent } from "react";
import { useTypeLabel } from "@/components/keys/key-type-badge";
import { queryKeys } from "@/components/query/api";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { useFormat } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import { deleteKeyAction, setKeyTtl } from "@/lib/actions/keys";
import { callAction } from "@/components/actions/call-action";

const DANGER =
  "inline-flex items-center justify-center rounded-lg bg-red-600 px-3.5 py-2 text-sm font-medium text-white transition-colors hover:bg-red-700 focus-visible:ring-2 focus-visible:ring-red-500 focus-visible:outline-none disabled:cursor-not-allowed disabled:bg-slate-300";

interface Message {
  tone: "error" | "info";
  text: string;
}

/**
 * An operator's changes to one key: set or remove its TTL, delete it (after a dialog naming it).
 * The server checks the role again on every action; here a viewer sees the controls disabled and why.
 */
export function KeyActions({
  connectionId,
  keyRef,
  keyName,
  type,
  sizeText,
  hasTtl,
  maxTtlSeconds,
  canChange,
  readOnlyReason,
}: {
  connectionId: string;
  keyRef: string;
  keyName: string;
  type: string;
  sizeText: string;
  hasTtl: boolean;
  maxTtlSeconds: number;
  canChange: boolean;
  readOnlyReason: string;
}) {
  const t = useTranslations("keys.actions");
  const f = useFormat();
  const typeLabel = useTypeLabel();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [seconds, setSeconds] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState<Message | null>(null);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const title = canChange ? undefined : readOnlyReason;

  function changeTtl(next: number | null) {
    setMessage(null);
    startTransition(async () => {
      const result = await callAction(setKeyTtl, { conn: connectionId, key: keyRef, seconds: next });
      if (!result.ok) {
        setMessage({ tone: "error", text: result.error.message });
        return;
      }
      setSeconds("");
      setMessage({
        tone: "info",
        text: next === null ? t("ttlRemoved") : t("ttlSet", { duration: f.duration(next) }),
      });
      void queryClient.invalidateQueries({ queryKey: queryKeys.keys.all(connectionId) });
      await queryClient.invalidateQueries({ queryKey: queryKeys.keys.key(connectionId, keyRef) });
    });
  }

  function submitTtl(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = Number(seconds);
    if (!Number.isSafeInteger(value) || value < 1 || value > maxTtlSeconds) {
      setMessage({
        tone: "error",
        text: t("ttlInvalid", { max: f.count(maxTtlSeconds) }),
      });
      return;
    }
    changeTtl(value);
  }

  function deleteKey() {
    setDeleteError(null);
    startTransition(async () => {
      const result = await callAction(deleteKeyAction, { conn: connectionId, key: keyRef });
      if (!result.ok) {
        setDeleteError(result.error.message);
        return;
      }
      await queryClient.invalidateQueries({
        queryKey: queryKeys.keys.all(connectionId),
        refetchType: "none",
      });
      router.push(`/keys?deleted=${keyRef}${result.data.existed ? "" : "&missing=1"}`);
    });
  }

  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex flex-wrap items-end justify-end gap-2">
        <form onSubmit={submitTtl} className="flex items-end gap-2" aria-label={t("changeTtl")}>
          <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
            {t("ttlSeconds")}
            <input
              type="number"
              inputMode="numeric"
              min={1}
              max={maxTtlSeconds}
              step={1}
              value={seconds}
              onChange={(event) => setSeconds(event.target.value)}
              disabled={!canChange}
              title={title}
              placeholder="600"
              className="w-32 rounded-lg border border-slate-300 bg-white px-3 py-2 font-normal tabular-nums disabled:bg-slate-100"
            />
          </label>
          <Button
            type="submit"
            variant="secondary"
            disabled={!canChange || pending || !seconds}
            title={title}
          >
            {t("setTtl")}
          </Button>
        </form>
        <Button
          variant="secondary"
          onClick={() => changeTtl(null)}
          disabled={!canChange || pending || !hasTtl}
          title={title ?? (hasTtl ? undefined : t("noTtl"))}
        >
          {t("removeTtl")}
        </Button>
        <button
          type="button"
          className={DANGER}
          onClick={() => setConfirming(true)}
          disabled={!canChange || pending}
          title={title}
        >
          {t("delete")}
        </button>
      </div>
      {!canChange && (
        <p className="text-xs text-slate-500" data-testid="read-only-reason">
          {readOnlyReason}
        </p>
      )}
      {message && (
        <div className="w-full max-w-md" data-testid="key-action-message">
          <Notice tone={message.tone}>{message.text}</Notice>
        </div>
      )}
      <Dialog open={confirming} title={t("deleteKey")} onClose={() => setConfirming(false)}>
        <p className="text-sm text-slate-700">{t("confirm", { type: typeLabel(type), size: sizeText })}</p>
        <p
          className="rounded-lg border border-slate-200 bg-slate-50 px-3 py-2 font-mono text-sm break-all text-slate-900"
          data-testid="delete-key-name"
          translate="no"
        >
          {keyName}
        </p>
        {deleteError && <Notice tone="error">{deleteError}</Notice>}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => setConfirming(false)} disabled={pending}>
            {t("cancel")}
          </Button>
          <button type="button" className={DANGER} onClick={deleteKey} disabled={pending}>
            {pending ? t("deleting") : t("deleteKey")}
          </button>
        </div>
      </Dialog>
    </div>
  );
}
