"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { api, queryKeys } from "@/components/query/api";
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
    queryKey: queryKeys.keys.key(connectionId, initial.ref),
    queryFn: ({ pageParam }) =>
      fetchJson(api.key(initial.ref, { conn: connectionId, count: READ_COUNT, ...pageParam })),
    initialPageParam: {} as KeyPageParam,
    getNextPageParam: nextPageParam,
    initialData: { pages: [initial], pageParams: [{}] },
  });
}
