import type { Metadata } from "next";
import { CompareView } from "@/components/models/compare-view";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { isAppError } from "@/lib/errors";
import { fromKeyRef } from "@/lib/redis/keys";
import { resolveConnectionId } from "@/lib/request-context";

export const metadata: Metadata = { title: "Compare models" };

export default async function ComparePage({
  searchParams,
}: {
  searchParams: Promise<{ a?: string; b?: string; conn?: string }>;
}) {
  const { a, b, conn } = await searchParams;
  let connectionId: string;
  try {
    connectionId = await resolveConnectionId(conn);
  } catch (error) {
    if (!isAppError(error)) throw error;
    return <Notice tone="error">{error.message}</Notice>;
  }
  const valid = a && b && fromKeyRef(a) && fromKeyRef(b);
  return (
    <>
      <PageHeader
        title="Compare models"
        description="Two hashes side by side: fields only in one, fields that differ with the numeric change, and equal fields. The address of this page can be shared."
      />
      {valid ? (
        <CompareView connectionId={connectionId} a={a} b={b} />
      ) : (
        <Notice tone="warning">
          Pick two models to compare from the Models list (tick two rows, then Compare).
        </Notice>
      )}
    </>
  );
}
