"use client";

import { useTranslations } from "next-intl";
import { memo } from "react";
import type { FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { targetId, type WatchTarget } from "@/lib/live/protocol";

type TypedKind = "channel" | "pattern" | "shard";

/** An example name for each input (data, not text: the same in every language). */
const PLACEHOLDERS: Record<TypedKind, string> = {
  channel: "data_channel",
  pattern: "inference:*",
  // SSUBSCRIBE (Redis 7): in a cluster, a shard channel lives on the node that owns its slot.
  shard: "{model:churn}:scores",
};

function AddTarget({ kind, onWatch }: { kind: TypedKind; onWatch: (target: WatchTarget) => void }) {
  const t = useTranslations("monitor.watch");
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const name = String(new FormData(form).get("name") ?? "");
    if (!name) return;
    onWatch({ kind, name });
    form.reset();
  }
  return (
    <form onSubmit={submit} className="flex items-end gap-2">
      <label className="flex min-w-0 flex-1 flex-col gap-1 text-sm font-medium text-slate-700">
        {t(`label.${kind}`)}
        <input
          name="name"
          required
          maxLength={1024}
          placeholder={PLACEHOLDERS[kind]}
          translate="no"
          autoComplete="off"
          className="rounded-lg border border-slate-300 bg-white px-3 py-2 font-mono font-normal"
        />
      </label>
      <Button type="submit" variant="secondary" className="shrink-0">
        {t(`button.${kind}`)}
      </Button>
    </form>
  );
}

/**
 * What the page watches, as removable chips, and inputs to add a channel, a pattern or a shard
 * channel (SSUBSCRIBE) by name.
 */
export const WatchTargets = memo(function WatchTargets({
  desired,
  confirmed,
  onWatch,
  onUnwatch,
}: {
  desired: WatchTarget[];
  /** Target ids the server confirmed. */
  confirmed: Set<string>;
  onWatch: (target: WatchTarget) => void;
  onUnwatch: (target: WatchTarget) => void;
}) {
  const t = useTranslations("monitor.watch");
  const shown = desired.filter((target) => target.kind !== "stream");
  return (
    <div className="flex flex-col gap-4">
      {shown.length === 0 ? (
        <p className="text-sm text-slate-500" data-testid="watch-empty">
          {t("empty")}
        </p>
      ) : (
        <ul className="flex flex-wrap gap-2" aria-label={t("listLabel")}>
          {shown.map((target) => {
            const id = targetId(target);
            const live = confirmed.has(id);
            return (
              <li
                key={id}
                data-testid="watch-chip"
                data-kind={target.kind}
                data-name={target.name}
                data-confirmed={live}
                title={live ? t("subscribed") : t("subscribing")}
                className={`inline-flex max-w-full items-center gap-1.5 rounded-full border py-1 pr-1 pl-3 text-sm ${
                  live
                    ? "border-sky-200 bg-sky-50 text-sky-900"
                    : "border-dashed border-slate-300 bg-white text-slate-600"
                }`}
              >
                <span className="text-[11px] font-medium tracking-wide text-slate-500 uppercase">
                  {t(`kind.${target.kind}`)}
                </span>
                <span className="min-w-0 truncate font-mono" translate="no">
                  {target.name}
                </span>
                <button
                  type="button"
                  onClick={() => onUnwatch(target)}
                  className="focus-visible:ring-brand-500 rounded-full px-1.5 text-slate-400 hover:bg-white hover:text-slate-800 focus-visible:ring-2 focus-visible:outline-none"
                >
                  <span aria-hidden>✕</span>
                  {/* The name is data: it stays out of the translated label, read after it. */}
                  <span className="sr-only">
                    {t(`stop.${target.kind}`)} <span translate="no">{target.name}</span>
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <div className="flex flex-col gap-3">
        <AddTarget kind="channel" onWatch={onWatch} />
        <AddTarget kind="pattern" onWatch={onWatch} />
        <AddTarget kind="shard" onWatch={onWatch} />
      </div>
    </div>
  );
});
