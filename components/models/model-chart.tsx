"use client";

import { useTranslations } from "next-intl";
import { useMemo } from "react";
import { VectorHistogram } from "@/components/charts/vector-histogram";
import { NumericParamsChart } from "@/components/models/param-chart";
import { useFieldPages } from "@/components/models/param-table";
import { Card } from "@/components/ui/card";
import { useFormat } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";

/** Numeric parameters as bars and vectors as histograms, over the first pages of the hash. */
export function ModelChart({ connectionId, keyRef }: { connectionId: string; keyRef: string }) {
  const t = useTranslations("models.chart");
  const f = useFormat();
  const query = useFieldPages(connectionId, keyRef, "");
  const fields = useMemo(() => query.data?.pages.flatMap((page) => page.fields) ?? [], [query.data]);
  const numeric = fields
    .filter((f) => f.value.number !== undefined && Number.isFinite(f.value.number))
    .map((f) => ({ name: f.name, value: f.value.number! }));
  const vectors = fields.filter((f) => f.value.vector);
  const total = query.data?.pages[0]?.total ?? 0;

  if (query.isPending) return <p className="text-sm text-slate-500">{t("reading")}</p>;
  if (query.isError) return <Notice tone="error">{query.error.message}</Notice>;
  return (
    <div className="flex flex-col gap-5">
      {fields.length < total && (
        <Notice>
          {t("drawnFrom", { shown: f.count(fields.length), total: f.count(total) })}{" "}
          {query.hasNextPage && (
            <button type="button" className="underline" onClick={() => query.fetchNextPage()}>
              {t("loadMore")}
            </button>
          )}
        </Notice>
      )}
      <Card title={t("numeric")}>
        {numeric.length ? (
          <NumericParamsChart fields={numeric} />
        ) : (
          <p className="text-sm text-slate-500">{t("noNumeric")}</p>
        )}
      </Card>
      {vectors.map((field) => (
        // Titled inside the card, so the field's name can be marked as data.
        <Card key={field.ref}>
          <h2 className="-mx-5 -mt-5 mb-5 border-b border-slate-100 px-5 py-3 text-sm font-semibold text-slate-700">
            {t.rich("vector", {
              name: field.name,
              data: (chunks) => <span translate="no">{chunks}</span>,
            })}
          </h2>
          <VectorHistogram {...field.value.vector!} />
        </Card>
      ))}
    </div>
  );
}
