import type { ReactNode } from "react";
import { ScrollFrame } from "@/components/ui/scroll-frame";

// The console's data tables: a real <table> (so screen readers announce rows and column headers),
// its header row drawn from a list of columns, inside a frame that scrolls sideways on a phone
// instead of widening the page. The rows stay with each table: their cells are what differs.

export interface Column {
  /** The header text; null for a column that names itself through `ariaLabel` (a checkbox column). */
  label: ReactNode;
  /** Said to screen readers instead of shown: a column of buttons. */
  srOnly?: boolean;
  ariaLabel?: string;
  align?: "right";
  /** More classes for the header cell: a width, say. */
  className?: string;
}

/** The header row: over the rows in a card, a tinted band at the top of a panel, or ruled off below. */
export type HeadLook = "plain" | "band" | "ruled";

const HEAD: Record<HeadLook, { row: string; cell: string }> = {
  plain: { row: "text-left text-xs tracking-wide text-slate-500 uppercase", cell: "pb-2" },
  band: { row: "bg-slate-50 text-left text-xs tracking-wide text-slate-500 uppercase", cell: "px-4 py-2" },
  ruled: {
    row: "border-b border-slate-200 text-left text-xs text-slate-500 uppercase",
    cell: "py-2 pr-4 last:pr-0",
  },
};

export function Table({
  columns,
  head = "plain",
  headCell,
  className = "",
  frame = "",
  scroll = true,
  label,
  caption,
  colgroup,
  testId,
  footer,
  children,
}: {
  /** Left out for a table without a header row. */
  columns?: Column[];
  head?: HeadLook;
  /** The header cells' padding, when it is not the look's own. */
  headCell?: string;
  /** More classes for the table: the width below which it scrolls (`min-w-[40rem]`), `table-fixed`. */
  className?: string;
  /** More classes for the scrolling frame: a border, a background. */
  frame?: string;
  /** false for a narrow table that always fits: no frame around it. */
  scroll?: boolean;
  /** The table's accessible name, where no caption gives one. */
  label?: string;
  /** A caption for screen readers only. */
  caption?: string;
  colgroup?: ReactNode;
  testId?: string;
  /** Inside the frame, under the table: a count, a "load more". */
  footer?: ReactNode;
  /** The <tbody> (or several). */
  children: ReactNode;
}) {
  const look = HEAD[head];
  const table = (
    <table aria-label={label} className={`w-full text-sm ${className}`} data-testid={testId}>
      {caption && <caption className="sr-only">{caption}</caption>}
      {colgroup && <colgroup>{colgroup}</colgroup>}
      {columns && (
        <thead className={look.row}>
          <tr>
            {columns.map((column, index) => (
              <th
                key={index}
                scope="col"
                aria-label={column.ariaLabel}
                className={`${headCell ?? look.cell} font-medium ${column.align === "right" ? "text-right" : ""} ${column.className ?? ""}`}
              >
                {column.srOnly ? <span className="sr-only">{column.label}</span> : column.label}
              </th>
            ))}
          </tr>
        </thead>
      )}
      {children}
    </table>
  );
  if (!scroll) return table;
  return (
    <ScrollFrame className={`relative ${frame}`}>
      {table}
      {footer}
    </ScrollFrame>
  );
}
