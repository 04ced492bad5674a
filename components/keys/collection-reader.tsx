"use client";

import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { VirtualRows } from "@/components/keys/virtual-rows";
import { Button } from "@/components/ui/button";
import { useFormat } from "@/components/ui/format";
import type { Formatters } from "@/lib/i18n/format";
import { KindBadge, ValueDisplay } from "@/components/values/value-view";
import type { HashPage, KeyPage, ListPage, SetPage, StreamPage, ZsetPage } from "@/lib/keys/read";

// Hashes, lists, sets, sorted sets and streams, read a page at a time and shown as one virtualized
// table. Values go through the same formatters as the model page (ValueDisplay, KindBadge).

interface ReaderRow {
  id: string;
  attributes: Record<`data-${string}`, string>;
  cells: ReactNode[];
}

interface ReaderTable {
  label: string;
  columns: string;
  header: ReactNode[];
  rows: ReaderRow[];
  total: number;
  unit: Unit;
}

type Unit = "fields" | "items" | "members" | "entries";
type Translate = ReturnType<typeof useTranslations<"keys.reader">>;

type Collection = HashPage | ListPage | SetPage | ZsetPage | StreamPage;

/** Rows by id, first seen kept: HSCAN and SSCAN may return an element twice. */
function unique(rows: ReaderRow[]): ReaderRow[] {
  const seen = new Set<string>();
  return rows.filter((row) => !seen.has(row.id) && Boolean(seen.add(row.id)));
}

/**
 * A sorted-set score in the shortest form that reads back to the same double: Redis 7.0 writes
 * 17 significant digits (`0.81000000000000005`) for what was stored as 0.81.
 */
export function formatScore(score: string): string {
  if (/^[-+]?inf$/i.test(score)) return score;
  const value = Number(score);
  return Number.isFinite(value) ? String(value) : score;
}

const mono = (text: string) => (
  <span className="block truncate font-mono" title={text} translate="no">
    {text}
  </span>
);

function tableOf(pages: Collection[], t: Translate, f: Formatters): ReaderTable | null {
  const last = pages[pages.length - 1];
  if (!last) return null;
  switch (last.type) {
    case "hash":
      return {
        label: t("labels.fields"),
        columns: "grid-cols-[minmax(10rem,2fr)_4.5rem_minmax(16rem,5fr)]",
        header: [t("columns.field"), t("columns.kind"), t("columns.value")],
        rows: unique(
          pages.flatMap((page) =>
            page.type !== "hash"
              ? []
              : page.fields.map((field) => ({
                  id: field.ref,
                  attributes: { "data-field": field.name },
                  cells: [
                    mono(field.name),
                    <KindBadge key="kind" kind={field.value.kind} />,
                    <ValueDisplay key="value" value={field.value} compact />,
                  ],
                })),
          ),
        ),
        total: last.size,
        unit: "fields",
      };
    case "list":
      return {
        label: t("labels.items"),
        columns: "grid-cols-[5rem_4.5rem_minmax(16rem,1fr)]",
        header: [t("columns.index"), t("columns.kind"), t("columns.value")],
        rows: pages.flatMap((page) =>
          page.type !== "list"
            ? []
            : page.items.map((item) => ({
                id: String(item.index),
                attributes: { "data-position": String(item.index) },
                cells: [
                  <span key="index" className="text-slate-500 tabular-nums">
                    {item.index}
                  </span>,
                  <KindBadge key="kind" kind={item.value.kind} />,
                  <ValueDisplay key="value" value={item.value} compact />,
                ],
              })),
        ),
        total: last.length,
        unit: "items",
      };
    case "set":
      return {
        label: t("labels.members"),
        columns: "grid-cols-[4.5rem_minmax(16rem,1fr)]",
        header: [t("columns.kind"), t("columns.member")],
        rows: unique(
          pages.flatMap((page) =>
            page.type !== "set"
              ? []
              : page.members.map((member) => ({
                  id: member.ref,
                  attributes: { "data-member": member.value.display },
                  cells: [
                    <KindBadge key="kind" kind={member.value.kind} />,
                    <ValueDisplay key="value" value={member.value} compact />,
                  ],
                })),
          ),
        ),
        total: last.size,
        unit: "members",
      };
    case "zset":
      return {
        label: t("labels.byScore"),
        columns: "grid-cols-[8rem_4.5rem_minmax(16rem,1fr)]",
        header: [t("columns.score"), t("columns.kind"), t("columns.member")],
        rows: pages.flatMap((page) =>
          page.type !== "zset"
            ? []
            : page.members.map((member) => ({
                id: member.ref,
                attributes: { "data-member": member.value.display, "data-score": formatScore(member.score) },
                cells: [
                  <span key="score" className="block truncate font-mono tabular-nums" title={member.score}>
                    {formatScore(member.score)}
                  </span>,
                  <KindBadge key="kind" kind={member.value.kind} />,
                  <ValueDisplay key="value" value={member.value} compact />,
                ],
              })),
        ),
        total: last.size,
        unit: "members",
      };
    case "stream":
      return {
        label: t("labels.entries"),
        columns: "grid-cols-[13rem_minmax(16rem,1fr)]",
        header: [t("columns.entry"), t("columns.fields")],
        rows: unique(
          pages.flatMap((page) =>
            page.type !== "stream"
              ? []
              : page.entries.map((entry) => ({
                  id: entry.id,
                  attributes: { "data-id": entry.id },
                  cells: [
                    <span key="id" className="flex flex-col">
                      <span className="font-mono text-xs">{entry.id}</span>
                      <span className="text-xs text-slate-500">{f.time(entry.at)}</span>
                    </span>,
                    <span key="fields" className="flex flex-wrap items-center gap-x-4 gap-y-1">
                      {entry.fields.map((field, index) => (
                        <span key={index} className="flex min-w-0 items-center gap-1.5">
                          <span className="font-mono text-xs text-slate-500" translate="no">
                            {field.name}
                          </span>
                          <ValueDisplay value={field.value} compact />
                        </span>
                      ))}
                      {entry.fieldCount > entry.fields.length && (
                        <span className="text-xs text-slate-500">
                          {t("moreFields", { n: f.count(entry.fieldCount - entry.fields.length) })}
                        </span>
                      )}
                    </span>,
                  ],
                })),
          ),
        ),
        total: last.length,
        unit: "entries",
      };
  }
}

export function CollectionReader({
  pages,
  more,
  loading,
  onLoadMore,
}: {
  pages: KeyPage[];
  more: boolean;
  loading: boolean;
  onLoadMore: () => void;
}) {
  const t = useTranslations("keys.reader");
  const f = useFormat();
  const table = tableOf(
    pages.filter((page): page is KeyPage & Collection => page.type !== "string"),
    t,
    f,
  );
  if (!table) return null;
  return (
    <div className="flex flex-col gap-3">
      <VirtualRows
        label={table.label}
        rows={table.rows}
        rowKey={(row) => row.id}
        columns={table.columns}
        header={table.header}
        renderCells={(row) => row.cells}
        rowAttributes={(row) => row.attributes}
        rowTestId="reader-row"
        scrollerTestId="reader-scroller"
        empty={t(`empty.${table.unit}`)}
        onNearEnd={more && !loading ? onLoadMore : undefined}
      />
      <div className="flex flex-wrap items-center gap-3 text-sm text-slate-600">
        <span data-testid="reader-progress">
          {t(`showing.${table.unit}`, { shown: f.count(table.rows.length), total: f.count(table.total) })}
        </span>
        {more && (
          <Button variant="secondary" onClick={onLoadMore} disabled={loading}>
            {loading ? t("loading") : t("loadMore")}
          </Button>
        )}
      </div>
    </div>
  );
}
