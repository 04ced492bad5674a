import type { Metadata } from "next";
import { ClusterGlance } from "@/components/cluster/cluster-glance";
import { OverviewPanel } from "@/components/overview/overview-panel";
import { PageHeader } from "@/components/ui/page-header";
import { findConnection } from "@/lib/redis/registry";
import { resolveConnectionId } from "@/lib/request-context";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  const connection = findConnection(await resolveConnectionId());
  return (
    <>
      <PageHeader
        title="Overview"
        description={
          <>
            The server behind <strong>{connection.name}</strong> at a glance, read from INFO and refreshed
            every few seconds.
          </>
        }
      />
      {connection.spec.type === "cluster" && <ClusterGlance connectionId={connection.id} />}
      <OverviewPanel connectionId={connection.id} connectionName={connection.name} />
    </>
  );
}
