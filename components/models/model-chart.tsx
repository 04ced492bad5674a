"use client";

import { useMemo } from "react";
import { VectorHistogram } from "@/components/charts/vector-histogram";
import { NumericParamsChart } from "@/components/models/param-chart";
import { useFieldPages } from "@/components/models/param-table";
import { Card } from "@/components/ui/card";
import { formatCount } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";

/** Numeric parameters as bars and vectors as histograms, over the first pages of the hash. */
export function ModelChart({ connectionId, keyRef }: { connectionId: string; keyRef: string }) {
  const query = useFieldPages(connectionId, keyRef, "");
  const fields = useMemo(() => query.data?.pages.flatMap((page) => page.fields) ?? [], [query.data]);
  const numeric = fields
    .filter((f) => f.value.number !== undefined && Number.isFinite(f.value.number))
    .map((f) => ({ name: f.name, value: f.value.number! }));
  const vectors = fields.filter((f) => f.value.vector);
  const total = query.data?.pages[0]?.total ?? 0;

  if (query.isPending) return <p className="text-sm text-slate-500">Reading parameters…</p>;
  if (query.isError) return <Notice tone="error">{query.error.message}</Notice>;
  return (
    <div className="flex flex-col gap-5">
      {fields.length < total && (
        <Notice>
          Drawn from the first {formatCount(fields.length)} of {formatCount(total)} fields.{" "}
          {query.hasNextPage && (
            <button type="button" className="underline" onClick={() => query.fetchNextPage()}>
              Load more
            </button>
          )}
        </Notice>
      )}
      <Card title="Numeric parameters">
        {numeric.length ? (
          <NumericParamsChart fields={numeric} />
        ) : (
          <p className="text-sm text-slate-500">No numeric parameters.</p>
        )}
      </Card>
      {vectors.map((field) => (
        <Card key={field.ref} title={`Vector ${field.name}`}>
          <VectorHistogram {...field.value.vector!} />
        </Card>
      ))}
    </div>
  );
}
