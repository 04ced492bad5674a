import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { redirect } from "next/navigation";
import { AuditTable } from "@/components/audit/audit-table";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { getPageSession } from "@/lib/auth/session";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("audit");
  return { title: t("title") };
}

export default async function AuditPage() {
  const t = await getTranslations("audit");
  const session = await getPageSession();
  if (!session) redirect("/login");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      {session.role === "admin" ? (
        <AuditTable />
      ) : (
        <Notice tone="warning" title={t("adminsOnly")}>
          {t("needsAdmin", { role: session.role })}
        </Notice>
      )}
    </>
  );
}
