"use client";

import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import type { LiveReason } from "@/components/live/transport";
import type { LiveStream } from "@/components/live/use-live-stream";
import { Button } from "@/components/ui/button";
import { useFormat } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";

const SHOWN_SPANS = 3;

const STATUS_DOT = {
  connecting: "bg-slate-400",
  open: "bg-emerald-500",
  reconnecting: "bg-amber-500",
  ended: "bg-red-500",
} as const;

interface Span {
  cause: "redis" | "browser";
  from: number;
  to: number | null;
}

/** The clock, ticking once a second while `active`, so an ongoing span's length grows. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const interval = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(interval);
  }, [active]);
  return now;
}

/** A reason in the reader's language; the server's own reasons come already written in it. */
function useReasonText(): (reason: LiveReason) => string {
  const t = useTranslations("live.reason");
  return (reason) => {
    switch (reason.code) {
      case "server":
        return reason.message;
      case "unavailable":
        return t("unavailable", { seconds: reason.retryInSeconds });
      default:
        return t(reason.code);
    }
  };
}

/** Whether the page is live, and every span when it was not. */
export function LiveStatus({ live }: { live: LiveStream }) {
  const t = useTranslations("live");
  const f = useFormat();
  const reasonText = useReasonText();
  const [dismissedBefore, setDismissedBefore] = useState(0);
  const spans: Span[] = [
    ...live.gaps.map((gap) => ({ cause: "redis" as const, from: gap.from, to: gap.to })),
    ...live.interruptions.map((span) => ({ cause: "browser" as const, ...span })),
  ]
    .filter((span) => span.to === null || span.to > dismissedBefore)
    .sort((a, b) => b.from - a.from)
    .slice(0, SHOWN_SPANS);
  const ongoing = spans.some((span) => span.to === null);
  const now = useNow(ongoing);
  const watched = live.watching.length;
  const describeSpan = (span: Span) =>
    span.to === null
      ? t(`span.${span.cause}Ongoing`, {
          from: f.clock(span.from),
          length: f.span(Math.max(0, now - span.from)),
        })
      : t(`span.${span.cause}Ended`, {
          from: f.clock(span.from),
          to: f.clock(span.to),
          length: f.span(span.to - span.from),
        });

  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-slate-600">
        <span
          className="inline-flex items-center gap-2 font-medium text-slate-800"
          data-testid="live-status"
          data-status={live.status}
        >
          <span aria-hidden className={`h-2.5 w-2.5 rounded-full ${STATUS_DOT[live.status]}`} />
          {t(`status.${live.status}`)}
        </span>
        {live.status === "open" && <span>{t("watching", { count: watched, n: f.count(watched) })}</span>}
        {live.status === "ended" && (
          <Button variant="secondary" onClick={live.reconnect}>
            {t("reconnect")}
          </Button>
        )}
      </div>
      {live.lastError && (
        <Notice tone={live.status === "ended" ? "error" : "warning"}>
          <span data-testid="live-error">{reasonText(live.lastError)}</span>
        </Notice>
      )}
      {spans.map((span) => (
        <div
          key={`${span.cause}:${span.from}`}
          data-testid="interruption-banner"
          data-cause={span.cause}
          data-ongoing={span.to === null}
        >
          <Notice tone="warning">
            <div className="flex items-start justify-between gap-3">
              <span>{describeSpan(span)}</span>
              {span.to !== null && (
                <button
                  type="button"
                  onClick={() => setDismissedBefore(Date.now())}
                  className="shrink-0 text-xs font-medium underline hover:no-underline"
                >
                  {t("dismiss")}
                </button>
              )}
            </div>
          </Notice>
        </div>
      ))}
    </div>
  );
}
