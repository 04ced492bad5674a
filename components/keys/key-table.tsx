"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { KeyTypeBadge } from "@/components/keys/key-type-badge";
import { cellClass, VirtualRows } from "@/components/keys/virtual-rows";
import { useFormat } from "@/components/ui/format";
import type { KeyRow } from "@/lib/keys/list";
import { ScrollFrame } from "@/components/ui/scroll-frame";

// On a phone the key and its type; TTL and memory fold into a line under the key (KeyFacts).
const COLUMNS = "grid-cols-[minmax(0,1fr)_auto] sm:grid-cols-[minmax(16rem,1fr)_7rem_7rem_6rem]";
const MIN_WIDTH = "sm:min-w-[36rem]";
const WIDE_ONLY = [2, 3];

/** A TTL in words: "no expiry", or how long is left. */
export function useTtlText(): (ttlSeconds: number | null) => string {
  const t = useTranslations("keys.table");
  const f = useFormat();
  return (ttlSeconds) => (ttlSeconds === null ? t("noExpiry") : f.duration(ttlSeconds));
}

/** The key's name, linked to its page; the console's own keys are shown but cannot be opened. */
export function KeyName({ row }: { row: KeyRow }) {
  const t = useTranslations("keys.table");
  if (row.consoleState) {
    return (
      <span className="flex min-w-0 items-center gap-2" title={t("consoleStateTitle")}>
        <span className="truncate font-mono text-slate-500" translate="no">
          {row.key}
        </span>
        <span className="shrink-0 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-500">
          {t("consoleState")}
        </span>
      </span>
    );
  }
  return (
    <Link
      href={`/keys/${row.ref}`}
      className="text-brand-700 block truncate font-mono hover:underline"
      title={row.key}
      translate="no"
      data-testid="key-link"
    >
      {row.key}
    </Link>
  );
}

function KeyTtl({ ttlSeconds }: { ttlSeconds: number | null }) {
  return <>{useTtlText()(ttlSeconds)}</>;
}

function KeyMemory({ bytes }: { bytes: number | null }) {
  const f = useFormat();
  return <>{bytes === null ? "—" : f.bytes(bytes)}</>;
}

/** TTL and memory on a line under the key's name, on a phone only (their columns are hidden). */
function KeyFacts({ row }: { row: KeyRow }) {
  const t = useTranslations("keys.table");
  const f = useFormat();
  return (
    <div className="mt-0.5 truncate text-xs text-slate-500 sm:hidden" data-testid="key-row-facts">
      {t("rowFacts", {
        expires: row.ttlSeconds === null ? "no" : "yes",
        ttl: row.ttlSeconds === null ? "" : f.duration(row.ttlSeconds),
        memory: row.memoryBytes === null ? "—" : f.bytes(row.memoryBytes),
      })}
    </div>
  );
}

function keyCells(row: KeyRow): ReactNode[] {
  return [
    <div key="name" className="min-w-0">
      <KeyName row={row} />
      <KeyFacts row={row} />
    </div>,
    <KeyTypeBadge key="type" type={row.type} testId="key-type" />,
    <span key="ttl" className="block text-right text-slate-700 tabular-nums" data-testid="key-ttl">
      <KeyTtl ttlSeconds={row.ttlSeconds} />
    </span>,
    <span key="memory" className="block text-right text-slate-700 tabular-nums">
      <KeyMemory bytes={row.memoryBytes} />
    </span>,
  ];
}

/** Keys with their type, TTL and memory, virtualized: only the rows on screen are in the page. */
export function KeyTable({ label, rows, empty }: { label: ReactNode; rows: KeyRow[]; empty?: ReactNode }) {
  const t = useTranslations("keys.table");
  const header = [
    t("key"),
    t("type"),
    <span key="ttl" className="block text-right">
      TTL
    </span>,
    <span key="memory" className="block text-right">
      {t("memory")}
    </span>,
  ];
  return (
    <VirtualRows
      label={label}
      rows={rows}
      rowKey={(row) => row.ref}
      columns={COLUMNS}
      minWidth={MIN_WIDTH}
      wideOnly={WIDE_ONLY}
      header={header}
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
  const t = useTranslations("keys.table");
  return (
    <ScrollFrame
      role="table"
      aria-label={t("exactMatch")}
      className="rounded-xl border border-sky-200 bg-white shadow-sm"
      data-testid="key-exact"
    >
      <div
        role="row"
        data-testid="key-row"
        data-key={row.key}
        data-ref={row.ref}
        className={`grid ${MIN_WIDTH} ${COLUMNS} items-center gap-3 px-4 py-3 text-sm`}
      >
        {keyCells(row).map((cell, index) => (
          <div role="cell" key={index} className={cellClass(WIDE_ONLY, index)}>
            {cell}
          </div>
        ))}
      </div>
    </ScrollFrame>
  );
}
