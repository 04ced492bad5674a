import type { Metadata } from "next";
import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
import { KeysBrowser, type KeysBrowserState } from "@/components/keys/keys-browser";
import { PageHeader } from "@/components/ui/page-header";
import { getPageSession } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { defaultDelimiter, listKeys, type KeyListPage } from "@/lib/keys/list";
import { displayBytes, fromKeyRef } from "@/lib/redis/keys";
import { resolveConnectionId } from "@/lib/request-context";
import { KEY_LIST_PAGE } from "@/lib/validation/key-list-page";
import { KEY_TYPES, keyListQuerySchema } from "@/lib/validation/keys";

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

/**
 * The list's first page, read while the page renders so its rows come with the HTML instead of
 * after hydration and a request of their own: the same query the browser would send. Null for the
 * tree, for input the route would refuse, or when the read fails: the browser then asks itself
 * and shows the route's answer (an error in words, not a failed page).
 */
async function firstListPage(connectionId: string, state: KeysBrowserState): Promise<KeyListPage | null> {
  if (state.view !== "list") return null;
  const query = keyListQuerySchema.safeParse({
    pattern: state.pattern || undefined,
    type: state.type || undefined,
    limit: KEY_LIST_PAGE,
    includeConsoleState: String(state.includeConsoleState),
  });
  if (!query.success) return null;
  try {
    // The layout checks the session too, but every read of Redis is authorized where it is made.
    if (!(await getPageSession())) return null;
    const { pattern, type, limit, includeConsoleState } = query.data;
    return await listKeys(connectionId, { pattern, type, limit, includeConsoleState });
  } catch (error) {
    if (isAppError(error)) return null;
    throw error;
  }
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
  const firstPage = await firstListPage(connectionId, initial);
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
        firstPage={firstPage}
        types={KEY_TYPES}
        defaultDelimiter={delimiter}
        notice={deleteNotice(params, t)}
      />
    </>
  );
}
