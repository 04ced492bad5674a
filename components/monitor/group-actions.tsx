"use client";

import { useTranslations } from "next-intl";
import { useId, useState, useTransition, type FormEvent, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { useFormat } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import { ackStreamEntries, createStreamGroup } from "@/lib/actions/monitor";
import { callAction } from "@/components/actions/call-action";

type Outcome = { ok: true; text: ReactNode } | { ok: false; text: string };

function OutcomeLine({ outcome, testId }: { outcome: Outcome | null; testId: string }) {
  if (!outcome) return null;
  if (!outcome.ok) return <Notice tone="error">{outcome.text}</Notice>;
  return (
    <p className="text-sm text-emerald-700" role="status" data-testid={testId}>
      {outcome.text}
    </p>
  );
}

/** XGROUP CREATE on this stream (operator and up), never creating the stream itself. */
export function CreateGroupForm({
  connectionId,
  streamRef,
  canManage,
  readOnlyReason,
  onDone,
}: {
  connectionId: string;
  streamRef: string;
  canManage: boolean;
  readOnlyReason: string;
  onDone: () => void;
}) {
  const t = useTranslations("monitor.groups");
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [pending, startTransition] = useTransition();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const group = String(data.get("group") ?? "");
    const startId = String(data.get("startId") ?? "$");
    setOutcome(null);
    startTransition(async () => {
      const result = await callAction(createStreamGroup, {
        conn: connectionId,
        key: streamRef,
        group,
        startId,
      });
      if (result.ok) {
        form.reset();
        setOutcome({
          ok: true,
          text: t.rich("created", {
            group: result.data.group,
            data: (chunks) => <span translate="no">{chunks}</span>,
          }),
        });
        onDone();
      } else setOutcome({ ok: false, text: result.error.message });
    });
  }

  return (
    <form onSubmit={submit} aria-label={t("createLabel")} className="flex flex-col gap-2">
      <fieldset disabled={!canManage} className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          {t("groupName")}
          <input
            name="group"
            required
            maxLength={1024}
            placeholder="scorers"
            translate="no"
            autoComplete="off"
            className="w-56 rounded-lg border border-slate-300 bg-white px-3 py-2 font-mono font-normal disabled:bg-slate-50"
          />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          {t("startFrom")}
          <select
            name="startId"
            defaultValue="$"
            className="rounded-lg border border-slate-300 bg-white px-3 py-2 font-normal disabled:bg-slate-50"
          >
            <option value="$">{t("startNew")}</option>
            <option value="0">{t("startAll")}</option>
          </select>
        </label>
        <Button type="submit" disabled={!canManage || pending} title={canManage ? undefined : readOnlyReason}>
          {pending ? t("creating") : t("create")}
        </Button>
      </fieldset>
      <OutcomeLine outcome={outcome} testId="group-created" />
    </form>
  );
}

/** XACK: the oldest pending entry with one click, or ids typed in (operator and up). */
export function AckControls({
  connectionId,
  streamRef,
  group,
  oldestPendingId,
  canManage,
  readOnlyReason,
  onDone,
}: {
  connectionId: string;
  streamRef: string;
  group: string;
  oldestPendingId: string | null;
  canManage: boolean;
  readOnlyReason: string;
  onDone: () => void;
}) {
  const t = useTranslations("monitor.groups");
  const f = useFormat();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [pending, startTransition] = useTransition();
  const title = canManage ? undefined : readOnlyReason;
  const labelId = useId();

  function ack(ids: string[], after?: () => void) {
    setOutcome(null);
    startTransition(async () => {
      const result = await callAction(ackStreamEntries, { conn: connectionId, key: streamRef, group, ids });
      if (result.ok) {
        const { acked } = result.data;
        setOutcome({
          ok: true,
          text: t(acked < ids.length ? "ackedSome" : "acked", {
            acked: f.count(acked),
            count: ids.length,
            n: f.count(ids.length),
          }),
        });
        after?.();
        onDone();
      } else setOutcome({ ok: false, text: result.error.message });
    });
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const ids = String(new FormData(form).get("ids") ?? "")
      .split(/[\s,]+/)
      .filter(Boolean);
    ack(ids, () => form.reset());
  }

  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-end gap-3">
        {oldestPendingId && (
          <Button
            variant="secondary"
            onClick={() => ack([oldestPendingId])}
            disabled={!canManage || pending}
            title={title}
            data-testid="ack-oldest"
          >
            {t("ackOldest", { id: oldestPendingId })}
          </Button>
        )}
        <form onSubmit={submit} className="flex flex-wrap items-end gap-2" aria-labelledby={labelId}>
          {/* The form's name holds the group's, which is data: it is written here so it can be marked. */}
          <span id={labelId} className="sr-only">
            {t.rich("ackLabel", { group, data: (chunks) => <span translate="no">{chunks}</span> })}
          </span>
          <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
            {t("ackIds")}
            <input
              name="ids"
              required
              disabled={!canManage}
              placeholder="1700000000000-0 1700000000001-0"
              translate="no"
              autoComplete="off"
              className="w-80 rounded-lg border border-slate-300 bg-white px-3 py-2 font-mono font-normal disabled:bg-slate-50"
            />
          </label>
          <Button type="submit" variant="secondary" disabled={!canManage || pending} title={title}>
            {t("ack")}
          </Button>
        </form>
      </div>
      <OutcomeLine outcome={outcome} testId="ack-result" />
    </div>
  );
}
