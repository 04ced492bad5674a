"use client";

import { useEffect, useState } from "react";
import type { LiveStream } from "@/components/live/use-live-stream";
import { formatClock, formatSpan } from "@/components/monitor/live-format";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";

const SHOWN_SPANS = 3;

const STATUS = {
  connecting: { label: "Connecting…", dot: "bg-slate-400" },
  open: { label: "Live", dot: "bg-emerald-500" },
  reconnecting: { label: "Reconnecting…", dot: "bg-amber-500" },
  ended: { label: "Stopped", dot: "bg-red-500" },
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

function describeSpan(span: Span, now: number): string {
  const cause =
    span.cause === "redis" ? "Redis could not be reached" : "This page lost its connection to the console";
  const when =
    span.to === null
      ? `is interrupted since ${formatClock(span.from)} UTC (${formatSpan(Math.max(0, now - span.from))} so far)`
      : `was interrupted from ${formatClock(span.from)} to ${formatClock(span.to)} UTC (${formatSpan(span.to - span.from)})`;
  return `${cause}: live data ${when}; pub/sub does not replay, messages in that span are lost.`;
}

/** Whether the page is live, and every span when it was not. */
export function LiveStatus({ live }: { live: LiveStream }) {
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
  const status = STATUS[live.status];
  const watched = live.watching.length;

  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-slate-600">
        <span
          className="inline-flex items-center gap-2 font-medium text-slate-800"
          data-testid="live-status"
          data-status={live.status}
        >
          <span aria-hidden className={`h-2.5 w-2.5 rounded-full ${status.dot}`} />
          {status.label}
        </span>
        {live.status === "open" && (
          <span>
            Watching {watched} {watched === 1 ? "target" : "targets"} in this tab, on the browser&apos;s one
            live stream.
          </span>
        )}
        {live.status === "ended" && (
          <Button variant="secondary" onClick={live.reconnect}>
            Reconnect
          </Button>
        )}
      </div>
      {live.lastError && (
        <Notice tone={live.status === "ended" ? "error" : "warning"}>
          <span data-testid="live-error">{live.lastError}</span>
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
              <span>{describeSpan(span, now)}</span>
              {span.to !== null && (
                <button
                  type="button"
                  onClick={() => setDismissedBefore(Date.now())}
                  className="shrink-0 text-xs font-medium underline hover:no-underline"
                >
                  Dismiss
                </button>
              )}
            </div>
          </Notice>
        </div>
      ))}
    </div>
  );
}
