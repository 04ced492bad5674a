"use client";

import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";

// Server errors reach the browser only as a digest; the page says what to do instead of going blank.
export default function ConsoleError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <div className="flex max-w-2xl flex-col gap-4">
      <Notice tone="error" title="This page could not be shown">
        The server could not prepare this page. If Redis or the configuration was just changed, try again; the
        server log has the details{error.digest ? ` (reference ${error.digest})` : ""}.
      </Notice>
      <div>
        <Button onClick={reset}>Try again</Button>
      </div>
    </div>
  );
}
