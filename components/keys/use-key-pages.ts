"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { keysQueryKeys } from "@/components/keys/query-keys";
import { fetchJson } from "@/components/query/fetch-json";
import type { KeyPage } from "@/lib/keys/read";

/** Items per page of a hash, list, set, sorted set or stream (strings come 64 KB at a time). */
export const READ_COUNT = 100;

/** Where the next page starts: a SCAN cursor or stream position, or an offset (bytes, or an index). */
export interface KeyPageParam {
  cursor?: string;
  offset?: number;
}

function nextPageParam(page: KeyPage): KeyPageParam | undefined {
  switch (page.type) {
    case "string":
    case "list":
    case "zset":
      return page.nextOffset === null ? undefined : { offset: page.nextOffset };
    case "hash":
    case "set":
    case "stream":
      return page.cursor === null ? undefined : { cursor: page.cursor };
  }
}

/**
 * The pages of one key read so far, starting from the page the server rendered. Every page carries
 * the key's metadata as of its read, so the newest page also has the freshest TTL and memory.
 */
export function useKeyPages(connectionId: string, initial: KeyPage) {
  return useInfiniteQuery({
    queryKey: keysQueryKeys.key(connectionId, initial.ref),
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams({ conn: connectionId, count: String(READ_COUNT) });
      if (pageParam.cursor !== undefined) params.set("cursor", pageParam.cursor);
      if (pageParam.offset !== undefined) params.set("offset", String(pageParam.offset));
      return fetchJson<KeyPage>(`/api/keys/${initial.ref}?${params}`);
    },
    initialPageParam: {} as KeyPageParam,
    getNextPageParam: nextPageParam,
    initialData: { pages: [initial], pageParams: [{}] },
  });
}
