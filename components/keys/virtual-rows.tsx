"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useId, useRef, type ReactNode } from "react";
import { ScrollFrame } from "@/components/ui/scroll-frame";

/**
 * The scroller's height before it is measured: its `max-h-[32rem]` at 16 px. The server render and
 * hydration use it, so the rows a page arrives with are in its HTML (a zero-height guess renders
 * none until the browser has measured); the virtualizer corrects it once mounted.
 */
const SCROLLER_HEIGHT = 512;

/** A cell's class: columns shown from `sm:` up only are out of the layout on a phone. */
export function cellClass(wideOnly: number[], index: number): string {
  return wideOnly.includes(index) ? "hidden min-w-0 sm:block" : "min-w-0";
}

/**
 * A table whose DOM holds only the rows on screen (plus a few), however many were loaded: a list
 * of keys or a big hash can grow to thousands of rows as the user continues. Rows measure their
 * own height, so a stream entry with several fields may take two lines.
 */
export function VirtualRows<T>({
  label,
  rows,
  rowKey,
  columns,
  minWidth = "min-w-[36rem]",
  wideOnly = [],
  header,
  renderCells,
  rowAttributes,
  rowTestId,
  scrollerTestId,
  estimateSize = 44,
  empty,
  onNearEnd,
}: {
  /**
   * The table's accessible name: words, or words around data (a key prefix marked translate="no"),
   * which then name the table from a visually hidden element.
   */
  label: ReactNode;
  rows: T[];
  rowKey: (row: T) => string;
  /** Tailwind grid-template-columns class shared by the header and every row. */
  columns: string;
  /**
   * The table's least width (a Tailwind class): narrower screens scroll it sideways inside itself.
   * A table that folds on a phone (wideOnly) gives it from `sm:` up.
   */
  minWidth?: string;
  /** Columns shown from `sm:` up only: on a phone their cell folds its facts under the first. */
  wideOnly?: number[];
  header: ReactNode[];
  renderCells: (row: T) => ReactNode[];
  rowAttributes?: (row: T) => Record<`data-${string}`, string>;
  rowTestId: string;
  scrollerTestId?: string;
  estimateSize?: number;
  empty?: ReactNode;
  /** Called as the reader scrolls near the last loaded row, to load the next page. */
  onNearEnd?: () => void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const labelId = useId();
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render by design
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => estimateSize,
    getItemKey: (index) => rowKey(rows[index]!),
    initialRect: { width: 0, height: SCROLLER_HEIGHT },
    overscan: 8,
  });
  const items = virtualizer.getVirtualItems();
  const lastShown = items[items.length - 1]?.index ?? -1;
  const nearEnd = rows.length > 0 && lastShown >= rows.length - 10;
  useEffect(() => {
    if (nearEnd) onNearEnd?.();
  }, [nearEnd, onNearEnd]);

  return (
    <>
      {typeof label !== "string" && (
        <span id={labelId} className="sr-only">
          {label}
        </span>
      )}
      <ScrollFrame
        role="table"
        aria-label={typeof label === "string" ? label : undefined}
        aria-labelledby={typeof label === "string" ? undefined : labelId}
        aria-rowcount={rows.length + 1}
        className="relative rounded-xl border border-slate-200 bg-white shadow-sm"
      >
        {/* Narrow screens scroll the table sideways inside itself, never the page. */}
        <div className={minWidth}>
          <div role="rowgroup">
            <div
              role="row"
              className={`grid ${columns} gap-3 border-b border-slate-200 bg-slate-50 px-4 py-2 text-xs font-medium tracking-wide text-slate-500 uppercase`}
            >
              {header.map((cell, index) => (
                <span role="columnheader" key={index} className={cellClass(wideOnly, index)}>
                  {cell}
                </span>
              ))}
            </div>
          </div>
          <div
            ref={scroller}
            role="rowgroup"
            className="max-h-[32rem] overflow-auto"
            data-testid={scrollerTestId}
          >
            <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
              {items.map((item) => {
                const row = rows[item.index]!;
                return (
                  <div
                    key={item.key}
                    ref={virtualizer.measureElement}
                    data-index={item.index}
                    role="row"
                    aria-rowindex={item.index + 2}
                    data-testid={rowTestId}
                    {...rowAttributes?.(row)}
                    className={`absolute inset-x-0 top-0 grid ${columns} items-center gap-3 border-b border-slate-100 px-4 py-2.5 text-sm hover:bg-slate-50`}
                    style={{ transform: `translateY(${item.start}px)` }}
                  >
                    {renderCells(row).map((cell, index) => (
                      <div role="cell" key={index} className={cellClass(wideOnly, index)}>
                        {cell}
                      </div>
                    ))}
                  </div>
                );
              })}
            </div>
            {rows.length === 0 && empty && <div className="p-6 text-sm text-slate-500">{empty}</div>}
          </div>
        </div>
      </ScrollFrame>
    </>
  );
}
