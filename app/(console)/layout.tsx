import Link from "next/link";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { ConnectionSwitcher } from "@/components/shell/connection-switcher";
import { NavLinks } from "@/components/shell/nav-links";
import { UserMenu } from "@/components/shell/user-menu";
import { QueryProvider } from "@/components/query/query-provider";
import { getSession } from "@/lib/auth/session";
import { listConnections } from "@/lib/redis/registry";
import { resolveConnectionId } from "@/lib/request-context";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const session = await getSession();
  if (!session) redirect("/login");
  const connections = listConnections();
  const currentId = await resolveConnectionId();

  return (
    <QueryProvider>
      <div className="flex min-h-screen">
        <aside className="bg-ink-950 sticky top-0 flex h-screen w-60 shrink-0 flex-col gap-6 px-4 py-5">
          <Link href="/" className="flex items-center gap-2 px-2 text-white">
            {/* eslint-disable-next-line @next/next/no-img-element -- a tiny static SVG */}
            <img src="/icon.svg" alt="" width={26} height={26} />
            <span className="text-base font-semibold">Redis ML Console</span>
          </Link>
          <div className="rounded-lg border border-white/10 p-3">
            <ConnectionSwitcher connections={connections} currentId={currentId} />
          </div>
          <NavLinks />
          <div className="mt-auto border-t border-white/10 px-2 pt-4">
            <UserMenu username={session.username} role={session.role} anonymous={session.anonymous} />
          </div>
        </aside>
        <main className="min-w-0 flex-1 px-8 py-7">{children}</main>
      </div>
    </QueryProvider>
  );
}
