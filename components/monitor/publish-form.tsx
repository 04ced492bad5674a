"use client";

import { useTranslations } from "next-intl";
import { memo, type FormEvent, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { useFormat } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import { publishMessage } from "@/lib/actions/monitor";
import { callAction } from "@/components/actions/call-action";

type Outcome = { ok: true; channel: string; receivers: number } | { ok: false; message: string };

/** PUBLISH a text or JSON payload (operator and up) and say how many subscribers received it. */
export const PublishForm = memo(function PublishForm({
  connectionId,
  canPublish,
  readOnlyReason,
  suggestedChannel,
}: {
  connectionId: string;
  canPublish: boolean;
  readOnlyReason: string;
  /** A channel the page watches, to publish to by default. */
  suggestedChannel?: string;
}) {
  const t = useTranslations("monitor.publish");
  const f = useFormat();
  // null until the person types: until then the form follows the watched channel.
  const [channel, setChannel] = useState<string | null>(null);
  const [payload, setPayload] = useState("");
  const [format, setFormat] = useState<"text" | "json">("text");
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [publishing, startPublishing] = useTransition();
  const target = channel ?? suggestedChannel ?? "";

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setOutcome(null);
    startPublishing(async () => {
      const result = await callAction(publishMessage, {
        conn: connectionId,
        channel: target,
        payload,
        format,
      });
      setOutcome(
        result.ok
          ? { ok: true, channel: target, receivers: result.data.receivers }
          : { ok: false, message: result.error.message },
      );
    });
  }

  return (
    <form onSubmit={submit} aria-label={t("formLabel")} className="flex flex-col gap-3">
      <fieldset disabled={!canPublish} className="flex flex-col gap-3 disabled:opacity-70">
        <div className="flex flex-wrap items-end gap-3">
          <label className="flex min-w-48 flex-1 flex-col gap-1 text-sm font-medium text-slate-700">
            {t("channel")}
            <input
              value={target}
              onChange={(event) => setChannel(event.target.value)}
              required
              maxLength={1024}
              placeholder="data_channel"
              translate="no"
              autoComplete="off"
              className="rounded-lg border border-slate-300 bg-white px-3 py-2 font-mono font-normal disabled:bg-slate-50"
            />
          </label>
          <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
            {t("format")}
            <select
              value={format}
              onChange={(event) => setFormat(event.target.value === "json" ? "json" : "text")}
              className="rounded-lg border border-slate-300 bg-white px-3 py-2 font-normal disabled:bg-slate-50"
            >
              <option value="text">{t("formatText")}</option>
              <option value="json">{t("formatJson")}</option>
            </select>
          </label>
        </div>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          {t("payload")}
          <textarea
            value={payload}
            onChange={(event) => setPayload(event.target.value)}
            rows={4}
            placeholder={format === "json" ? '{"model": "churn", "score": 0.93}' : "hello"}
            translate="no"
            className="rounded-lg border border-slate-300 bg-white px-3 py-2 font-mono text-sm font-normal disabled:bg-slate-50"
          />
        </label>
        <div className="flex items-center gap-3">
          <Button
            type="submit"
            className="shrink-0"
            disabled={!canPublish || publishing || !target}
            title={canPublish ? undefined : readOnlyReason}
          >
            {publishing ? t("publishing") : t("submit")}
          </Button>
          {outcome?.ok && (
            <span
              className="text-sm text-slate-700"
              data-testid="publish-result"
              data-receivers={outcome.receivers}
              role="status"
            >
              {t.rich("delivered", {
                count: outcome.receivers,
                n: f.count(outcome.receivers),
                channel: outcome.channel,
                name: (chunks) => (
                  <span className="font-mono" translate="no">
                    {chunks}
                  </span>
                ),
              })}
            </span>
          )}
        </div>
      </fieldset>
      {outcome && !outcome.ok && <Notice tone="error">{outcome.message}</Notice>}
      {!canPublish && (
        <p className="text-xs text-slate-500" data-testid="publish-disabled-reason">
          {readOnlyReason}
        </p>
      )}
    </form>
  );
});
