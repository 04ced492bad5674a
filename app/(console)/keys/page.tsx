import type { Metadata } from "next";
import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
import { KeysBrowser, type KeysBrowserState } from "@/components/keys/keys-browser";
import { PageHeader } from "@/components/ui/page-header";
import { defaultDelimiter } from "@/lib/keys/list";
import { displayBytes, fromKeyRef } from "@/lib/redis/keys";
import { resolveConnectionId } from "@/lib/request-context";
import { KEY_TYPES } from "@/lib/validation/keys";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("keys.page");
  return { title: t("title") };
}

const data = (chunks: ReactNode) => <span translate="no">{chunks}</span>;

type SearchParams = Record<string, string | string[] | undefined>;

function one(params: SearchParams, name: string): string {
  const value = params[name];
  return typeof value === "string" ? value : "";
}

/** What the key page reports after a delete (`?deleted=<ref>`), in words. */
function deleteNotice(
  params: SearchParams,
  t: Awaited<ReturnType<typeof getTranslations<"keys.page">>>,
): ReactNode {
  const key = fromKeyRef(one(params, "deleted"));
  if (!key || key.length === 0) return null;
  return one(params, "missing")
    ? t.rich("alreadyGone", { key: displayBytes(key), data })
    : t.rich("deleted", { key: displayBytes(key), data });
}

export default async function KeysPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const [connectionId, params, t] = await Promise.all([
    resolveConnectionId(),
    searchParams,
    getTranslations("keys.page"),
  ]);
  const delimiter = defaultDelimiter();
  const type = one(params, "type");
  const initial: KeysBrowserState = {
    view: one(params, "view") === "tree" ? "tree" : "list",
    pattern: one(params, "pattern"),
    type: (KEY_TYPES as readonly string[]).includes(type) ? type : "",
    prefix: one(params, "prefix"),
    delimiter: one(params, "delimiter") || delimiter,
    includeConsoleState: one(params, "consoleState") === "1",
  };
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t.rich("description", { code: (chunks) => <code translate="no">{chunks}</code> })}
      />
      <KeysBrowser
        // A new connection or a new visit (e.g. after a delete) starts from what the address says.
        key={`${connectionId}:${one(params, "deleted")}`}
        connectionId={connectionId}
        initial={initial}
        types={KEY_TYPES}
        defaultDelimiter={delimiter}
        notice={deleteNotice(params, t)}
      />
    </>
  );
}
