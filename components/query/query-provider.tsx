"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { ApiError } from "@/components/query/fetch-json";

function shouldRetry(failureCount: number, error: unknown): boolean {
  // Refusals and bad input will not change by asking again; outages might.
  if (
    error instanceof ApiError &&
    ["UNAUTHENTICATED", "FORBIDDEN", "INVALID", "NOT_FOUND"].includes(error.code)
  ) {
    return false;
  }
  // Pages that poll try again on their own schedule; one quick retry covers a blip.
  return failureCount < 1;
}

export function QueryProvider({ children }: { children: ReactNode }) {
  const [client] = useState(
    () =>
      new QueryClient({
        defaultOptions: { queries: { retry: shouldRetry, refetchOnWindowFocus: true, staleTime: 2_000 } },
      }),
  );
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
