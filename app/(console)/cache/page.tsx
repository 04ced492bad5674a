import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { CacheConsole } from "@/components/cache/cache-console";
import { PageHeader } from "@/components/ui/page-header";
import { getPageSession } from "@/lib/auth/session";
import { resolveConnectionId } from "@/lib/request-context";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("cache.page");
  return { title: t("title") };
}

type SearchParams = Record<string, string | string[] | undefined>;

export default async function CachePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const session = await getPageSession();
  if (!session) redirect("/login?next=/cache");
  const [connectionId, params] = await Promise.all([resolveConnectionId(), searchParams]);
  const prefix = typeof params.prefix === "string" ? params.prefix : "";
  const t = await getTranslations("cache.page");
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t.rich("description", { code: (chunks) => <code translate="no">{chunks}</code> })}
      />
      <CacheConsole
        key={connectionId}
        connectionId={connectionId}
        role={session.role}
        initialPrefix={prefix}
      />
    </>
  );
}
