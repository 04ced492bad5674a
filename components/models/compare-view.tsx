"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useState, type ReactNode } from "react";
import { api, queryKeys } from "@/components/query/api";
import { fetchJson } from "@/components/query/fetch-json";
import { useFormat } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import { Table, type Column } from "@/components/ui/table";
import { ValueDisplay } from "@/components/values/value-view";
import type { ModelComparison } from "@/lib/models/compare";

/** A key or field name inside a sentence: Redis data, never translated. */
const data = (chunks: ReactNode) => (
  <span className="font-mono" translate="no">
    {chunks}
  </span>
);

function formatDelta(delta: number): string {
  const text =
    Math.abs(delta) >= 1e-3 || delta === 0 ? String(Number(delta.toPrecision(6))) : delta.toExponential(3);
  return delta > 0 ? `+${text}` : text;
}

function Section({
  title,
  count,
  testId,
  children,
}: {
  title: string;
  count: number;
  testId: string;
  children: React.ReactNode;
}) {
  const t = useTranslations("models.compare");
  const f = useFormat();
  return (
    <section className="min-w-0 rounded-xl border border-slate-200 bg-white shadow-sm" data-testid={testId}>
      <h2 className="border-b border-slate-100 px-4 py-2 text-sm font-semibold text-slate-700">
        {title} <span className="font-normal text-slate-500">({f.count(count)})</span>
      </h2>
      {count === 0 ? <p className="px-4 py-3 text-sm text-slate-500">{t("none")}</p> : children}
    </section>
  );
}

export function CompareView({ connectionId, a, b }: { connectionId: string; a: string; b: string }) {
  const t = useTranslations("models.compare");
  const f = useFormat();
  const [showEqual, setShowEqual] = useState(false);
  const query = useQuery({
    queryKey: queryKeys.models.compare(connectionId, a, b),
    queryFn: () => fetchJson(api.compare({ conn: connectionId, a, b })),
  });
  if (query.isPending) return <p className="text-sm text-slate-500">{t("reading")}</p>;
  if (query.isError) return <Notice tone="error">{query.error.message}</Notice>;
  const comparison = query.data;
  const differColumns: Column[] = [
    { label: t("columns.field") },
    { label: "A" },
    { label: "B" },
    { label: t("columns.change"), align: "right" },
  ];
  const head = (side: ModelComparison["a"], which: "a" | "b") => (
    <div
      className="min-w-0 flex-1 rounded-xl border border-slate-200 bg-white p-4 shadow-sm"
      data-testid={`compare-side-${which}`}
    >
      <p className="text-xs tracking-wide text-slate-500 uppercase">{t(which === "a" ? "sideA" : "sideB")}</p>
      <Link
        href={`/models/${side.ref}`}
        className="text-brand-700 font-mono break-all hover:underline"
        translate="no"
      >
        {side.key}
      </Link>
      <p className="text-sm text-slate-500">{t("sideFields", { count: f.count(side.fields) })}</p>
    </div>
  );
  return (
    <div className="flex flex-col gap-5">
      <div className="flex flex-col items-stretch gap-3 sm:flex-row sm:items-center">
        {head(comparison.a, "a")}
        <div className="flex shrink-0 flex-row items-center justify-center gap-2 sm:flex-col">
          <span aria-hidden className="text-2xl text-slate-400">
            →
          </span>
          <Link
            href={`/models/compare?${new URLSearchParams({ a: b, b: a })}`}
            className="rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50"
          >
            {t("swap")}
          </Link>
        </div>
        {head(comparison.b, "b")}
      </div>
      <p className="text-sm text-slate-600" data-testid="compare-direction">
        {t.rich("direction", { a: comparison.a.key, b: comparison.b.key, data })}
      </p>
      {comparison.truncated && <Notice tone="warning">{t("truncated", { count: f.count(50_000) })}</Notice>}
      <Section title={t("differ")} count={comparison.differ.length} testId="compare-differ">
        <Table columns={differColumns} headCell="px-4 py-2" className="min-w-[32rem]">
          <tbody>
            {comparison.differ.map((row) => (
              <tr key={row.ref} className="border-t border-slate-100" data-testid="compare-differ-row">
                <td className="px-4 py-2 font-mono" translate="no">
                  {row.name}
                </td>
                <td className="px-4 py-2">
                  <ValueDisplay value={row.a} compact />
                </td>
                <td className="px-4 py-2">
                  <ValueDisplay value={row.b} compact />
                </td>
                <td
                  className={`px-4 py-2 text-right tabular-nums ${row.delta === null ? "text-slate-400" : row.delta > 0 ? "text-emerald-700" : "text-red-700"}`}
                >
                  {row.delta === null ? "—" : formatDelta(row.delta)}
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Section>
      <div className="grid gap-5 lg:grid-cols-2">
        {(["onlyA", "onlyB"] as const).map((side) => (
          <Section
            key={side}
            title={t(side)}
            count={comparison[side].length}
            testId={side === "onlyA" ? "compare-only-a" : "compare-only-b"}
          >
            <ul className="divide-y divide-slate-100 text-sm">
              {comparison[side].map((row) => (
                <li key={row.ref} className="flex items-center gap-3 px-4 py-2">
                  <span className="w-40 shrink-0 truncate font-mono" translate="no">
                    {row.name}
                  </span>
                  <ValueDisplay value={row.value} compact />
                </li>
              ))}
            </ul>
          </Section>
        ))}
      </div>
      <Section title={t("equal")} count={comparison.equalCount} testId="compare-equal">
        <div className="px-4 py-3 text-sm">
          <button type="button" className="text-brand-700 underline" onClick={() => setShowEqual((v) => !v)}>
            {showEqual ? t("hideEqual") : t("showEqual")}
          </button>
          {showEqual && (
            <ul className="mt-2 divide-y divide-slate-100">
              {comparison.equal.map((row) => (
                <li key={row.ref} className="flex items-center gap-3 py-1.5">
                  <span className="w-40 shrink-0 truncate font-mono" translate="no">
                    {row.name}
                  </span>
                  <ValueDisplay value={row.value} compact />
                </li>
              ))}
              {comparison.equalCount > comparison.equal.length && (
                <li className="py-1.5 text-slate-500">
                  {t("more", { count: f.count(comparison.equalCount - comparison.equal.length) })}
                </li>
              )}
            </ul>
          )}
        </div>
      </Section>
    </div>
  );
}
