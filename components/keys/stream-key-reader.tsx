"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { CollectionReader } from "@/components/keys/collection-reader";
import { READ_COUNT } from "@/components/keys/use-key-pages";
import { api, queryKeys } from "@/components/query/api";
import { fetchJson } from "@/components/query/fetch-json";
import { Notice } from "@/components/ui/notice";
import type { KeyPage, StreamPage } from "@/lib/keys/read";

type Order = "newest" | "oldest";

/**
 * A stream key's entries, newest first (the key page's own pages), or oldest first on request,
 * read from the start of the stream with XRANGE pages.
 */
export function StreamKeyReader({
  connectionId,
  pages,
  more,
  loading,
  onLoadMore,
}: {
  connectionId: string;
  pages: (KeyPage & StreamPage)[];
  more: boolean;
  loading: boolean;
  onLoadMore: () => void;
}) {
  const t = useTranslations("keys.reader");
  const [order, setOrder] = useState<Order>("newest");
  const latest = pages[pages.length - 1]!;
  const oldest = useInfiniteQuery({
    queryKey: queryKeys.keys.streamOldestFirst(connectionId, latest.ref),
    queryFn: ({ pageParam }) => {
      return fetchJson(
        api.streamEntries(latest.ref, {
          conn: connectionId,
          start: pageParam,
          count: READ_COUNT,
          direction: "forward",
        }),
      );
    },
    initialPageParam: "-",
    getNextPageParam: (last) => last.next ?? undefined,
    enabled: order === "oldest",
  });
  const oldestPages: (KeyPage & StreamPage)[] = (oldest.data?.pages ?? []).map((page) => ({
    ...latest,
    length: page.length,
    entries: page.entries,
    cursor: page.next,
  }));

  return (
    <div className="flex flex-col gap-3">
      <div
        role="group"
        aria-label={t("order")}
        className="inline-flex self-start rounded-lg border border-slate-300 p-0.5"
      >
        {(["newest", "oldest"] as const).map((name) => (
          <button
            key={name}
            type="button"
            aria-pressed={order === name}
            onClick={() => setOrder(name)}
            className="rounded-md px-2.5 py-1 text-xs font-medium text-slate-600 hover:bg-slate-100 aria-pressed:bg-slate-800 aria-pressed:text-white"
          >
            {name === "newest" ? t("newestFirst") : t("oldestFirst")}
          </button>
        ))}
      </div>
      {order === "newest" ? (
        <CollectionReader pages={pages} more={more} loading={loading} onLoadMore={onLoadMore} />
      ) : oldest.isError ? (
        <Notice tone="error">{oldest.error.message}</Notice>
      ) : oldest.isPending ? (
        <p className="text-sm text-slate-500">{t("readingOldest")}</p>
      ) : (
        <CollectionReader
          pages={oldestPages}
          more={Boolean(oldest.hasNextPage)}
          loading={oldest.isFetchingNextPage}
          onLoadMore={() => void oldest.fetchNextPage()}
        />
      )}
    </div>
  );
}
