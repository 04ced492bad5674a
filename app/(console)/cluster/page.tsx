import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ClusterPanel } from "@/components/cluster/cluster-panel";
import { PageHeader } from "@/components/ui/page-header";
import { findConnection } from "@/lib/redis/registry";
import { resolveConnectionId } from "@/lib/request-context";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("cluster");
  return { title: t("metaTitle") };
}

export default async function ClusterPage() {
  const t = await getTranslations("cluster");
  const connection = findConnection(await resolveConnectionId());
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t.rich("description", {
          name: connection.name,
          strong: (chunks) => <strong translate="no">{chunks}</strong>,
        })}
      />
      <ClusterPanel connectionId={connection.id} />
    </>
  );
}
