import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { redirect } from "next/navigation";
import { SessionsTable } from "@/components/auth/sessions-table";
import { SignOutEverywhere } from "@/components/auth/sign-out-everywhere";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table } from "@/components/ui/table";
import { ROLES } from "@/lib/auth/roles";
import { getPageSession } from "@/lib/auth/session";
import { listUsers } from "@/lib/auth/users";
import { listConnections } from "@/lib/redis/registry";
import { resolveConnectionId } from "@/lib/request-context";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("settings");
  return { title: t("title") };
}

export default async function SettingsPage() {
  const t = await getTranslations("settings");
  const session = await getPageSession();
  if (!session) redirect("/login");
  const connections = listConnections();
  const currentId = await resolveConnectionId();
  const isAdmin = session.role === "admin";
  const users = isAdmin ? await listUsers() : [];

  return (
    <>
      <PageHeader
        title={t("title")}
        description={t.rich("description", {
          // The README's section, named as it is headed there.
          doc: (chunks) => <span translate="no">{chunks}</span>,
        })}
        actions={
          isAdmin && (
            <Link href="/settings/audit" className="text-brand-600 text-sm font-medium hover:underline">
              {t("openAudit")}
            </Link>
          )
        }
      />
      <div className="flex flex-col gap-6">
        <Card title={t("connections")}>
          <Table
            columns={[
              { label: t("name") },
              { label: t("id") },
              { label: t("type") },
              { label: t("address") },
            ]}
            className="min-w-[32rem]"
            testId="connections-table"
          >
            <tbody>
              {connections.map((c) => (
                <tr key={c.id} className="border-t border-slate-100">
                  <td className="py-2 font-medium">
                    <span translate="no">{c.name}</span>
                    {c.id === currentId && (
                      <span className="ml-2 text-xs text-emerald-700">{t("current")}</span>
                    )}
                  </td>
                  <td className="py-2 font-mono" translate="no">
                    {c.id}
                  </td>
                  <td className="py-2">{t("connectionType", { type: c.type })}</td>
                  <td className="py-2 font-mono text-slate-600">
                    <span translate="no">{c.address}</span>
                    {c.tls === "unverified" && (
                      <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 font-sans text-xs text-amber-800">
                        {t("tlsUnverified")}
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
        </Card>
        <Card title={t("roles")}>
          <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
            <p className="text-sm text-slate-600">
              {t.rich("youAre", {
                user: session.username,
                role: session.role,
                name: (chunks) => <strong translate="no">{chunks}</strong>,
                strong: (chunks) => <strong>{chunks}</strong>,
              })}
            </p>
            {!session.anonymous && <SignOutEverywhere />}
          </div>
          <dl className="grid grid-cols-[8rem_1fr] gap-y-2 text-sm">
            {ROLES.map((role) => (
              <div key={role} className="contents">
                <dt className="font-medium">{t("roleName", { role })}</dt>
                <dd className="text-slate-600">{t(`roleDescription.${role}`)}</dd>
              </div>
            ))}
          </dl>
        </Card>
        {isAdmin && (
          <Card title={t("users")}>
            <Table className="min-w-[28rem]" testId="users-table">
              <tbody>
                {users.map((user) => (
                  <tr key={user.username} className="border-t border-slate-100 first:border-0">
                    <td className="py-2 font-medium" translate="no">
                      {user.username}
                    </td>
                    <td className="py-2">{t("roleName", { role: user.role })}</td>
                  </tr>
                ))}
              </tbody>
            </Table>
            <p className="mt-3 text-xs text-slate-500">
              {t.rich("usersHelp", {
                code: () => <code>npm run user -- add &lt;name&gt; &lt;role&gt;</code>,
              })}
            </p>
          </Card>
        )}
        {isAdmin && (
          <Card title={t("sessions")}>
            <SessionsTable />
          </Card>
        )}
      </div>
    </>
  );
}
