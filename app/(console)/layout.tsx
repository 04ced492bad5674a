import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { ConnectionSwitcher } from "@/components/shell/connection-switcher";
import { LanguageSwitch } from "@/components/shell/language-switch";
import { NavLinks } from "@/components/shell/nav-links";
import { ShellNav } from "@/components/shell/shell-nav";
import { UserMenu } from "@/components/shell/user-menu";
import { QueryProvider } from "@/components/query/query-provider";
import { Notice } from "@/components/ui/notice";
import { getPageSession, type Session } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { errorTranslator } from "@/lib/i18n/server";
import { listConnections } from "@/lib/redis/registry";
import { resolveConnectionId } from "@/lib/request-context";

/** The session, or the error that kept it from being checked (console state unreachable). */
async function checkedSession(): Promise<Session | null | { unavailable: string }> {
  try {
    return await getPageSession();
  } catch (error) {
    if (isAppError(error) && error.code === "UNAVAILABLE") {
      return { unavailable: error.toBody(await errorTranslator()).message };
    }
    throw error;
  }
}

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const session = await checkedSession();
  if (!session) redirect("/login");
  const t = await getTranslations("shell");
  if ("unavailable" in session) {
    // Sessions cannot be checked, so nothing is shown: say why rather than fail the page.
    return (
      <main className="mx-auto flex min-h-screen max-w-xl items-center px-4">
        <Notice tone="error" title={t("sessionUncheckedTitle")}>
          {t("sessionUnchecked", { reason: session.unavailable })}
        </Notice>
      </main>
    );
  }
  const connections = listConnections();
  const currentId = await resolveConnectionId();

  return (
    <QueryProvider>
      <a
        href="#main"
        className="focus:bg-brand-600 sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:rounded-lg focus:px-4 focus:py-2 focus:text-white"
      >
        {t("skipToContent")}
      </a>
      <div className="flex min-h-screen flex-col md:flex-row">
        <ShellNav>
          <div className="rounded-lg border border-white/10 p-3">
            <ConnectionSwitcher connections={connections} currentId={currentId} />
          </div>
          <NavLinks />
          <div className="mt-auto flex flex-col gap-4 border-t border-white/10 px-2 pt-4">
            <UserMenu username={session.username} role={session.role} anonymous={session.anonymous} />
            <LanguageSwitch />
          </div>
        </ShellNav>
        <main id="main" tabIndex={-1} className="min-w-0 flex-1 px-4 py-5 outline-none md:px-8 md:py-7">
          {children}
        </main>
      </div>
    </QueryProvider>
  );
}
