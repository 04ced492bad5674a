"use client";

import { useEffect } from "react";

interface ScanQuery {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  isError: boolean;
  fetchNextPage: () => Promise<unknown>;
}

/**
 * Budgeted scans often find nothing in their first pages (a few matching keys among millions):
 * keep fetching on our own until `shown` rows are on screen or `maxPages` requests were made,
 * then leave it to the page's "Continue scanning" control.
 */
export function useAutoScan(
  query: ScanQuery,
  shown: number,
  pages: number,
  limits: { until: number; maxPages: number },
) {
  const { hasNextPage, isFetchingNextPage, isError, fetchNextPage } = query;
  const { until, maxPages } = limits;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && !isError && shown < until && pages < maxPages)
      void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, isError, shown, pages, until, maxPages, fetchNextPage]);
}
