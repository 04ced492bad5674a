import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { CacheConsole } from "@/components/cache/cache-console";
import { PageHeader } from "@/components/ui/page-header";
import { getSession } from "@/lib/auth/session";
import { resolveConnectionId } from "@/lib/request-context";

export const metadata: Metadata = { title: "Cache" };

type SearchParams = Record<string, string | string[] | undefined>;

export default async function CachePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const session = await getSession();
  if (!session) redirect("/login?next=/cache");
  const [connectionId, params] = await Promise.all([resolveConnectionId(), searchParams]);
  const prefix = typeof params.prefix === "string" ? params.prefix : "";
  return (
    <>
      <PageHeader
        title="Cache"
        description="Cached results by namespace (result:*, cache:embeddings:* …), sampled with SCAN (never KEYS). Flush a namespace in the background after a dry run, without blocking Redis."
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
