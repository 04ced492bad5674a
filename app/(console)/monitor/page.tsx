import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { redirect } from "next/navigation";
import { MonitorView } from "@/components/monitor/monitor-view";
import { PageHeader } from "@/components/ui/page-header";
import { roleAllows } from "@/lib/auth/roles";
import { getPageSession } from "@/lib/auth/session";
import { statePrefix } from "@/lib/console-state";
import { resolveConnectionId } from "@/lib/request-context";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("monitor");
  return { title: t("title") };
}

export default async function MonitorPage() {
  const t = await getTranslations("monitor");
  const session = await getPageSession();
  if (!session) redirect("/login");
  const connectionId = await resolveConnectionId();
  const canPublish = roleAllows(session.role, "operator");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <MonitorView
        connectionId={connectionId}
        canPublish={canPublish}
        role={session.role}
        consolePrefix={statePrefix()}
      />
    </>
  );
}
