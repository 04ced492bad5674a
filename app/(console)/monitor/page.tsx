import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { MonitorView } from "@/components/monitor/monitor-view";
import { PageHeader } from "@/components/ui/page-header";
import { roleAllows } from "@/lib/auth/roles";
import { getSession } from "@/lib/auth/session";
import { statePrefix } from "@/lib/console-state";
import { resolveConnectionId } from "@/lib/request-context";

export const metadata: Metadata = { title: "Monitor" };

export default async function MonitorPage() {
  const session = await getSession();
  if (!session) redirect("/login");
  const connectionId = await resolveConnectionId();
  const canPublish = roleAllows(session.role, "operator");
  return (
    <>
      <PageHeader
        title="Monitor"
        description="Messages on pub/sub channels and patterns as they arrive, with their rates, and streams with their consumer groups. Pub/sub keeps nothing: you see what arrives while you watch."
      />
      <MonitorView
        connectionId={connectionId}
        canPublish={canPublish}
        role={session.role}
        consolePrefix={statePrefix()}
      />
    </>
  );
}
