import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { SessionsTable } from "@/components/auth/sessions-table";
import { SignOutEverywhere } from "@/components/auth/sign-out-everywhere";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table } from "@/components/ui/table";
import { ROLES, ROLE_DESCRIPTIONS } from "@/lib/auth/roles";
import { getSession } from "@/lib/auth/session";
import { listUsers } from "@/lib/auth/users";
import { listConnections } from "@/lib/redis/registry";
import { resolveConnectionId } from "@/lib/request-context";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const session = await getSession();
  if (!session) redirect("/login");
  const connections = listConnections();
  const currentId = await resolveConnectionId();
  const isAdmin = session.role === "admin";
  const users = isAdmin ? await listUsers() : [];

  return (
    <>
      <PageHeader
        title="Settings"
        description="Connections and users come from the server's configuration (see README: Configuration)."
        actions={
          isAdmin && (
            <Link href="/settings/audit" className="text-brand-600 text-sm font-medium hover:underline">
              Open the audit log →
            </Link>
          )
        }
      />
      <div className="flex flex-col gap-6">
        <Card title="Connections">
          <Table
            columns={[{ label: "Name" }, { label: "Id" }, { label: "Type" }, { label: "Address" }]}
            className="min-w-[32rem]"
            testId="connections-table"
          >
            <tbody>
              {connections.map((c) => (
                <tr key={c.id} className="border-t border-slate-100">
                  <td className="py-2 font-medium">
                    {c.name}
                    {c.id === currentId && <span className="ml-2 text-xs text-emerald-700">(current)</span>}
                  </td>
                  <td className="py-2 font-mono">{c.id}</td>
                  <td className="py-2">{c.type}</td>
                  <td className="py-2 font-mono text-slate-600">
                    {c.address}
                    {c.tls === "unverified" && (
                      <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 font-sans text-xs text-amber-800">
                        TLS unverified
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
        </Card>
        <Card title="Roles">
          <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
            <p className="text-sm text-slate-600">
              You are <strong>{session.username}</strong> with the <strong>{session.role}</strong> role.
            </p>
            {!session.anonymous && <SignOutEverywhere />}
          </div>
          <dl className="grid grid-cols-[8rem_1fr] gap-y-2 text-sm">
            {ROLES.map((role) => (
              <div key={role} className="contents">
                <dt className="font-mono font-medium">{role}</dt>
                <dd className="text-slate-600">{ROLE_DESCRIPTIONS[role]}</dd>
              </div>
            ))}
          </dl>
        </Card>
        {isAdmin && (
          <Card title="Users">
            <Table className="min-w-[28rem]" testId="users-table">
              <tbody>
                {users.map((user) => (
                  <tr key={user.username} className="border-t border-slate-100 first:border-0">
                    <td className="py-2 font-medium">{user.username}</td>
                    <td className="py-2 font-mono">{user.role}</td>
                  </tr>
                ))}
              </tbody>
            </Table>
            <p className="mt-3 text-xs text-slate-500">
              Add or change users with <code>npm run user -- add &lt;name&gt; &lt;role&gt;</code> on the
              server; the console reads the users file again within a second. A changed role or password ends
              that user&apos;s sessions.
            </p>
          </Card>
        )}
        {isAdmin && (
          <Card title="Active sessions">
            <SessionsTable />
          </Card>
        )}
      </div>
    </>
  );
}
