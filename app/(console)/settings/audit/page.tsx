import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuditTable } from "@/components/audit/audit-table";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { getSession } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage() {
  const session = await getSession();
  if (!session) redirect("/login");
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change made through the console and every failed sign-in, newest first."
      />
      {session.role === "admin" ? (
        <AuditTable />
      ) : (
        <Notice tone="warning" title="Admins only">
          The audit log needs the admin role; you are signed in as {session.role}.
        </Notice>
      )}
    </>
  );
}
