"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { KeyTypeBadge } from "@/components/keys/key-type-badge";
import { VirtualRows } from "@/components/keys/virtual-rows";
import { formatBytes, formatDuration } from "@/components/ui/format";
import type { KeyRow } from "@/lib/keys/list";

const COLUMNS = "grid-cols-[minmax(16rem,1fr)_7rem_7rem_6rem]";

export function ttlText(ttlSeconds: number | null): string {
  return ttlSeconds === null ? "no expiry" : formatDuration(ttlSeconds);
}

/** The key's name, linked to its page; the console's own keys are shown but cannot be opened. */
export function KeyName({ row }: { row: KeyRow }) {
  if (row.consoleState) {
    return (
      <span className="flex min-w-0 items-center gap-2" title="The console's own data: not opened here">
        <span className="truncate font-mono text-slate-500">{row.key}</span>
        <span className="shrink-0 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-500">
          console state
        </span>
      </span>
    );
  }
  return (
    <Link
      href={`/keys/${row.ref}`}
      className="text-brand-700 block truncate font-mono hover:underline"
      title={row.key}
      data-testid="key-link"
    >
      {row.key}
    </Link>
  );
}

function keyCells(row: KeyRow): ReactNode[] {
  return [
    <KeyName key="name" row={row} />,
    <KeyTypeBadge key="type" type={row.type} testId="key-type" />,
    <span key="ttl" className="block text-right text-slate-700 tabular-nums" data-testid="key-ttl">
      {ttlText(row.ttlSeconds)}
    </span>,
    <span key="memory" className="block text-right text-slate-700 tabular-nums">
      {row.memoryBytes === null ? "—" : formatBytes(row.memoryBytes)}
    </span>,
  ];
}

const HEADER = [
  "Key",
  "Type",
  <span key="ttl" className="block text-right">
    TTL
  </span>,
  <span key="memory" className="block text-right">
    Memory
  </span>,
];

/** Keys with their type, TTL and memory, virtualized: only the rows on screen are in the page. */
export function KeyTable({ label, rows, empty }: { label: string; rows: KeyRow[]; empty?: ReactNode }) {
  return (
    <VirtualRows
      label={label}
      rows={rows}
      rowKey={(row) => row.ref}
      columns={COLUMNS}
      header={HEADER}
      renderCells={keyCells}
      rowAttributes={(row) => ({ "data-key": row.key, "data-ref": row.ref })}
      rowTestId="key-row"
      scrollerTestId="key-scroller"
      empty={empty}
    />
  );
}

/** One key outside the virtualized table: the answer to an exact-name search. */
export function KeyRowCard({ row }: { row: KeyRow }) {
  return (
    <div
      role="table"
      aria-label="Exact match"
      className="overflow-x-auto rounded-xl border border-sky-200 bg-white shadow-sm"
      data-testid="key-exact"
    >
      <div
        role="row"
        data-testid="key-row"
        data-key={row.key}
        data-ref={row.ref}
        className={`grid min-w-[36rem] ${COLUMNS} items-center gap-3 px-4 py-3 text-sm`}
      >
        {keyCells(row).map((cell, index) => (
          <div role="cell" key={index} className="min-w-0">
            {cell}
          </div>
        ))}
      </div>
    </div>
  );
}
