import type { Metadata } from "next";
import { KeysBrowser, type KeysBrowserState } from "@/components/keys/keys-browser";
import { PageHeader } from "@/components/ui/page-header";
import { defaultDelimiter } from "@/lib/keys/list";
import { displayBytes, fromKeyRef } from "@/lib/redis/keys";
import { resolveConnectionId } from "@/lib/request-context";
import { KEY_TYPES } from "@/lib/validation/keys";

export const metadata: Metadata = { title: "Keys" };

type SearchParams = Record<string, string | string[] | undefined>;

function one(params: SearchParams, name: string): string {
  const value = params[name];
  return typeof value === "string" ? value : "";
}

/** What the key page reports after a delete (`?deleted=<ref>`), in words. */
function deleteNotice(params: SearchParams): string | null {
  const key = fromKeyRef(one(params, "deleted"));
  if (!key || key.length === 0) return null;
  return one(params, "missing")
    ? `${displayBytes(key)} was already gone; nothing was deleted.`
    : `Deleted ${displayBytes(key)}.`;
}

export default async function KeysPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const [connectionId, params] = await Promise.all([resolveConnectionId(), searchParams]);
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
        title="Keys"
        description="Every key in the database, browsed with SCAN (never KEYS) a budget at a time, with the type, TTL and memory of the keys found."
      />
      <KeysBrowser
        // A new connection or a new visit (e.g. after a delete) starts from what the address says.
        key={`${connectionId}:${one(params, "deleted")}`}
        connectionId={connectionId}
        initial={initial}
        types={KEY_TYPES}
        defaultDelimiter={delimiter}
        notice={deleteNotice(params)}
      />
    </>
  );
}
