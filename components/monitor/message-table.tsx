"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { useTranslations } from "next-intl";
import { memo, useMemo, useRef, type ReactNode } from "react";
import type { BufferedMessage } from "@/components/monitor/message-buffer";
import { payloadView } from "@/components/monitor/live-format";
import { useFormat } from "@/components/ui/format";
import { KindBadge, ValueDisplay } from "@/components/values/value-view";
import type { LivePayload } from "@/lib/live/protocol";
import { ScrollFrame } from "@/components/ui/scroll-frame";

// Every payload below is a React text node (through ValueDisplay): `<script>` or an SSE-like
// "\n\ndata:" in a message shows as itself.

/** 20px of text, 16px of padding and a 1px border. */
const ROW_HEIGHT = 37;

const COLUMNS = {
  pubsub: "grid-cols-[6.5rem_minmax(7rem,1fr)_minmax(5rem,0.7fr)_4.5rem_minmax(14rem,3fr)]",
  stream: "grid-cols-[6.5rem_minmax(9rem,0.8fr)_4.5rem_minmax(14rem,3fr)]",
} as const;

/** Column headers, as messages of `monitor.table`. */
const HEADERS = {
  pubsub: ["time", "channel", "pattern", "size", "payload"],
  stream: ["time", "entryId", "size", "fields"],
} as const;

type Variant = keyof typeof COLUMNS;

const PayloadCell = memo(function PayloadCell({ payload }: { payload: LivePayload }) {
  const value = useMemo(() => payloadView(payload), [payload]);
  return (
    <span className="flex min-w-0 items-start gap-2">
      {/* a flex box, not a line box: the badge must not make the row taller than its text */}
      <span className="mt-0.5 flex shrink-0">
        <KindBadge kind={value.kind} />
      </span>
      <span className="min-w-0 flex-1" data-testid="message-payload" translate="no">
        <ValueDisplay value={value} compact />
      </span>
    </span>
  );
});

function MessageRow({ message, variant }: { message: BufferedMessage; variant: Variant }) {
  const f = useFormat();
  return (
    <>
      <span role="cell" className="font-mono text-xs leading-5 text-slate-500 tabular-nums">
        {f.clockMs(message.at)}
      </span>
      {variant === "pubsub" ? (
        <>
          <span
            role="cell"
            className="truncate font-mono text-slate-900"
            title={message.channel}
            translate="no"
          >
            {message.channel}
          </span>
          <span
            role="cell"
            className="truncate font-mono text-slate-500"
            title={message.pattern}
            translate="no"
          >
            {message.pattern ?? "—"}
          </span>
        </>
      ) : (
        <span
          role="cell"
          className="truncate font-mono text-slate-900"
          title={message.entryId}
          translate="no"
        >
          {message.entryId ?? "—"}
        </span>
      )}
      <span role="cell" className="text-right text-slate-600 tabular-nums">
        {f.bytes(message.payload.size)}
      </span>
      <span role="cell" className="min-w-0">
        <PayloadCell payload={message.payload} />
      </span>
    </>
  );
}

/** Live messages, newest first, virtualized: only the rows on screen are in the page. */
export function MessageTable({
  messages,
  variant,
  empty,
  label,
  short = false,
}: {
  messages: BufferedMessage[];
  variant: Variant;
  /** Shown when there is nothing to list. */
  empty: ReactNode;
  label: string;
  /** A lower table, for a panel among others. */
  short?: boolean;
}) {
  const t = useTranslations("monitor.table");
  const scroller = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render by design
  const virtualizer = useVirtualizer({
    count: messages.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    // Sizes follow the message, not its index: new messages arrive at the top.
    getItemKey: (index) => messages[index]?.key ?? index,
    // A new row starts at the size its message had before (or one line) and is corrected by the
    // ResizeObserver after layout: measuring each new row as it mounts forces a layout per row,
    // which on a busy channel was most of the page's work.
    measureElement: (element, entry, instance) => {
      const box = entry?.borderBoxSize[0];
      if (box) return Math.round(box.blockSize);
      const index = instance.indexFromElement(element);
      return instance.itemSizeCache.get(instance.options.getItemKey(index)) ?? ROW_HEIGHT;
    },
    overscan: 10,
  });
  const columns = COLUMNS[variant];

  return (
    <ScrollFrame
      role="table"
      aria-label={label}
      aria-rowcount={messages.length + 1}
      className="relative rounded-xl border border-slate-200 bg-white shadow-sm"
    >
      <div className="min-w-[40rem]">
        <div role="rowgroup">
          <div
            role="row"
            className={`grid ${columns} gap-3 border-b border-slate-200 bg-slate-50 px-4 py-2 text-xs font-medium tracking-wide text-slate-500 uppercase`}
          >
            {HEADERS[variant].map((header) => (
              <span role="columnheader" key={header} className={header === "size" ? "text-right" : undefined}>
                {t(header)}
              </span>
            ))}
          </div>
        </div>
        <div
          ref={scroller}
          className={`${short ? "h-72" : "h-[28rem]"} overflow-auto`}
          data-testid="message-scroller"
          role="rowgroup"
        >
          {messages.length === 0 ? (
            <div role="row">
              <div role="cell" className="p-6 text-sm text-slate-500">
                {empty}
              </div>
            </div>
          ) : (
            <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
              {virtualizer.getVirtualItems().map((item) => {
                const message = messages[item.index]!;
                return (
                  <div
                    key={item.key}
                    ref={virtualizer.measureElement}
                    data-index={item.index}
                    role="row"
                    aria-rowindex={item.index + 2}
                    data-testid="message-row"
                    data-seq={message.seq}
                    data-channel={message.channel}
                    className={`absolute inset-x-0 top-0 grid ${columns} min-h-9 items-start gap-3 border-b border-slate-100 px-4 py-2 text-sm leading-5 hover:bg-slate-50`}
                    style={{ transform: `translateY(${item.start}px)` }}
                  >
                    <MessageRow message={message} variant={variant} />
                  </div>
                );
              })}
            </div>
          )}
        </div>
      </div>
    </ScrollFrame>
  );
}
