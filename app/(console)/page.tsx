import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ClusterGlance } from "@/components/cluster/cluster-glance";
import { OverviewPanel } from "@/components/overview/overview-panel";
import { PageHeader } from "@/components/ui/page-header";
import { findConnection } from "@/lib/redis/registry";
import { resolveConnectionId } from "@/lib/request-context";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("overview");
  return { title: t("title") };
}

export default async function OverviewPage() {
  const t = await getTranslations("overview");
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
      {connection.spec.type === "cluster" && <ClusterGlance connectionId={connection.id} />}
      <OverviewPanel connectionId={connection.id} connectionName={connection.name} />
    </>
  );
}
