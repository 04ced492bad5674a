"use client";

import { useTranslations } from "next-intl";
import { CollectionReader } from "@/components/keys/collection-reader";
import { KeyActions } from "@/components/keys/key-actions";
import type { KeyOrigin } from "@/components/keys/key-breadcrumbs";
import { KeyHeader, useSizeText } from "@/components/keys/key-header";
import { StreamKeyReader } from "@/components/keys/stream-key-reader";
import { StringReader } from "@/components/keys/string-reader";
import { useKeyPages } from "@/components/keys/use-key-pages";
import { Notice } from "@/components/ui/notice";
import type { KeyPage, StreamPage, StringPage } from "@/lib/keys/read";

/** One key, read-only whatever its type, with an operator's delete and TTL controls above it. */
export function KeyView({
  connectionId,
  initial,
  canChange,
  readOnlyReason,
  maxTtlSeconds,
  delimiter,
  origin,
}: {
  connectionId: string;
  /** The first page, read while the server rendered this page. */
  initial: KeyPage;
  canChange: boolean;
  readOnlyReason: string;
  maxTtlSeconds: number;
  delimiter: string;
  origin: KeyOrigin;
}) {
  const t = useTranslations("keys.view");
  const sizeText = useSizeText();
  const query = useKeyPages(connectionId, initial);
  const pages = query.data.pages;
  const latest = pages[pages.length - 1] ?? initial;
  const more = Boolean(query.hasNextPage);
  const loadMore = () => void query.fetchNextPage();
  const { refetch } = query;

  return (
    <div className="flex flex-col gap-6">
      <KeyHeader
        page={latest}
        readAt={query.dataUpdatedAt}
        onExpired={refetch}
        delimiter={delimiter}
        origin={origin}
        actions={
          <KeyActions
            connectionId={connectionId}
            keyRef={latest.ref}
            keyName={latest.key}
            type={latest.type}
            sizeText={sizeText(latest)}
            hasTtl={latest.ttlSeconds !== null}
            maxTtlSeconds={maxTtlSeconds}
            canChange={canChange}
            readOnlyReason={readOnlyReason}
          />
        }
      />
      {query.isError && (
        <Notice tone="error" title={t("cannotRead")}>
          {query.error.message} {t("readEarlier")}
        </Notice>
      )}
      <section aria-label={t("value")} className="flex flex-col gap-3">
        {latest.type === "string" ? (
          <StringReader
            pages={pages.filter((page): page is KeyPage & StringPage => page.type === "string")}
            more={more}
            loading={query.isFetchingNextPage}
            onLoadMore={loadMore}
          />
        ) : latest.type === "stream" ? (
          <StreamKeyReader
            connectionId={connectionId}
            pages={pages.filter((page): page is KeyPage & StreamPage => page.type === "stream")}
            more={more}
            loading={query.isFetchingNextPage}
            onLoadMore={loadMore}
          />
        ) : (
          <CollectionReader
            pages={pages}
            more={more}
            loading={query.isFetchingNextPage}
            onLoadMore={loadMore}
          />
        )}
      </section>
    </div>
  );
}
