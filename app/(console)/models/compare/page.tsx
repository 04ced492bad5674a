import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { CompareView } from "@/components/models/compare-view";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { isAppError } from "@/lib/errors";
import { errorTranslator } from "@/lib/i18n/server";
import { fromKeyRef } from "@/lib/redis/keys";
import { resolveConnectionId } from "@/lib/request-context";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("models.compare");
  return { title: t("title") };
}

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
    return <Notice tone="error">{error.toBody(await errorTranslator()).message}</Notice>;
  }
  const t = await getTranslations("models.compare");
  const valid = a && b && fromKeyRef(a) && fromKeyRef(b);
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      {valid ? (
        <CompareView connectionId={connectionId} a={a} b={b} />
      ) : (
        <Notice tone="warning">{t("pickTwo")}</Notice>
      )}
    </>
  );
}
