"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useMemo, type ReactNode } from "react";
import { KeyTable } from "@/components/keys/key-table";
import { ScanProgress } from "@/components/keys/scan-progress";
import { VirtualRows } from "@/components/keys/virtual-rows";
import { api, queryKeys } from "@/components/query/api";
import { fetchJson } from "@/components/query/fetch-json";
import { useFormat } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import type { KeyFolder, KeyRow, KeyTreePage } from "@/lib/keys/list";

const PAGE_LIMIT = 100;

/** Folders of every loaded page, counts summed: each page counts only the keys its scan saw. */
function mergeFolders(pages: KeyTreePage[]): KeyFolder[] {
  const byPrefix = new Map<string, KeyFolder>();
  for (const folder of pages.flatMap((page) => page.folders)) {
    const seen = byPrefix.get(folder.prefix);
    byPrefix.set(folder.prefix, seen ? { ...seen, count: seen.count + folder.count } : folder);
  }
  return [...byPrefix.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function mergeLeaves(pages: KeyTreePage[]): KeyRow[] {
  const byRef = new Map<string, KeyRow>();
  for (const row of pages.flatMap((page) => page.keys)) byRef.set(row.ref, row);
  return [...byRef.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The prefixes leading to `prefix`: "cache:embeddings:" → "cache:", "cache:embeddings:". */
function crumbs(prefix: string, delimiter: string): { prefix: string; name: string }[] {
  if (!prefix || !delimiter) return [];
  const parts = prefix.split(delimiter).slice(0, -1);
  return parts.map((name, index) => ({
    name,
    prefix: parts.slice(0, index + 1).join(delimiter) + delimiter,
  }));
}

export function KeyTree({
  connectionId,
  prefix,
  delimiter,
  includeConsoleState,
  onOpenFolder,
}: {
  connectionId: string;
  /** The folder shown, typed as displayed ("" for the top). */
  prefix: string;
  delimiter: string;
  includeConsoleState: boolean;
  onOpenFolder: (prefix: string) => void;
}) {
  const t = useTranslations("keys.tree");
  const f = useFormat();
  const data = (chunks: ReactNode) => <span translate="no">{chunks}</span>;
  const query = useInfiniteQuery({
    queryKey: queryKeys.keys.tree(connectionId, prefix, delimiter, includeConsoleState),
    queryFn: ({ pageParam }) => {
      return fetchJson(
        api.keyTree({
          conn: connectionId,
          prefix,
          delimiter,
          limit: PAGE_LIMIT,
          cursor: pageParam,
          includeConsoleState,
        }),
      );
    },
    initialPageParam: "",
    getNextPageParam: (last) => last.cursor || undefined,
  });
  const pages = useMemo(() => query.data?.pages ?? [], [query.data]);
  const folders = useMemo(() => mergeFolders(pages), [pages]);
  const leaves = useMemo(() => mergeLeaves(pages), [pages]);
  const last = pages[pages.length - 1];
  const examined = pages.reduce((sum, page) => sum + page.examined, 0);
  const more = Boolean(query.hasNextPage);

  return (
    <div className="flex flex-col gap-4">
      <nav aria-label={t("folder")} className="flex flex-wrap items-center gap-1 font-mono text-sm">
        <button
          type="button"
          onClick={() => onOpenFolder("")}
          aria-current={prefix === "" ? "page" : undefined}
          className="text-brand-700 rounded px-1 font-sans hover:underline aria-[current=page]:font-semibold aria-[current=page]:text-slate-900 aria-[current=page]:no-underline"
        >
          {t("allKeys")}
        </button>
        {crumbs(prefix, delimiter).map((crumb) => (
          <span key={crumb.prefix} className="flex items-center gap-1">
            <span aria-hidden className="text-slate-400">
              ›
            </span>
            <button
              type="button"
              onClick={() => onOpenFolder(crumb.prefix)}
              aria-current={crumb.prefix === prefix ? "page" : undefined}
              className="text-brand-700 rounded px-1 hover:underline aria-[current=page]:font-semibold aria-[current=page]:text-slate-900 aria-[current=page]:no-underline"
            >
              {crumb.name === "" ? t("empty") : <span translate="no">{crumb.name}</span>}
              <span translate="no">{delimiter}</span>
            </button>
          </span>
        ))}
      </nav>
      {query.isPending && <p className="text-sm text-slate-500">{t("scanning")}</p>}
      {query.isError && (
        <Notice tone="error" title={last ? t("scanStopped") : t("cannotRead")}>
          {query.error.message}
        </Notice>
      )}
      {last && (
        <>
          <p className="text-sm text-slate-600" data-testid="key-count">
            {t.rich(prefix ? "countUnder" : "countTop", {
              folders: folders.length,
              nFolders: f.count(folders.length),
              keys: leaves.length,
              nKeys: f.count(leaves.length),
              prefix,
              soFar: more ? "yes" : "no",
              data,
            })}
          </p>
          {folders.length > 0 && (
            <VirtualRows
              label={t("folders")}
              rows={folders}
              rowKey={(folder) => folder.prefix}
              columns="grid-cols-[minmax(0,1fr)_auto] sm:grid-cols-[minmax(16rem,1fr)_12rem]"
              minWidth="sm:min-w-[36rem]"
              header={[
                t("folderColumn"),
                <span key="count" className="block text-right">
                  {t("seenSoFar")}
                </span>,
              ]}
              renderCells={(folder) => [
                <button
                  key="name"
                  type="button"
                  onClick={() => onOpenFolder(folder.prefix)}
                  className="text-brand-700 flex max-w-full items-center gap-2 text-left font-mono hover:underline"
                  title={t("open", { prefix: folder.prefix })}
                  translate="no"
                >
                  <span aria-hidden className="text-slate-400">
                    ▸
                  </span>
                  <span className="truncate">
                    {folder.name === "" ? (
                      <span className="text-slate-400 italic" translate="yes">
                        {t("empty")}
                      </span>
                    ) : (
                      folder.name
                    )}
                    {delimiter}
                  </span>
                </button>,
                <span
                  key="count"
                  className="block text-right text-slate-700 tabular-nums"
                  data-testid="folder-count"
                >
                  {f.count(folder.count)}
                  {more ? "+" : ""}
                </span>,
              ]}
              rowAttributes={(folder) => ({ "data-prefix": folder.prefix })}
              rowTestId="tree-folder"
            />
          )}
          {(leaves.length > 0 || folders.length === 0) && (
            <KeyTable
              label={prefix ? t.rich("keysUnder", { prefix, data }) : t("keysTop")}
              rows={leaves}
              empty={more ? t("noKeySoFar") : t("noKey")}
            />
          )}
          <ScanProgress
            examined={examined}
            dbSize={last.dbSize}
            hasMore={more}
            fetching={query.isFetchingNextPage}
            onContinue={() => void query.fetchNextPage()}
          />
        </>
      )}
    </div>
  );
}
