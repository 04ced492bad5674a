import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ModelsList } from "@/components/models/models-list";
import { PageHeader } from "@/components/ui/page-header";
import { modelPatterns } from "@/lib/models/naming";
import { resolveConnectionId } from "@/lib/request-context";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("models.list");
  return { title: t("title") };
}

export default async function ModelsPage() {
  const [connectionId, t] = await Promise.all([resolveConnectionId(), getTranslations("models.list")]);
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t.rich("description", {
          patterns: modelPatterns().join(", "),
          data: (chunks) => <span translate="no">{chunks}</span>,
          code: (chunks) => <code>{chunks}</code>,
        })}
      />
      <ModelsList connectionId={connectionId} />
    </>
  );
}
