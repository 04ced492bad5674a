"use client";

import { Button } from "@/components/ui/button";
import { formatCount } from "@/components/ui/format";

/**
 * How far the SCAN got, in keys examined out of DBSIZE, and a way to go on. The page never stops
 * at a budget without saying so: while the cursor is not back at 0 this says more keys may match.
 */
export function ScanProgress({
  examined,
  dbSize,
  hasMore,
  fetching,
  onContinue,
}: {
  examined: number;
  dbSize: number;
  hasMore: boolean;
  fetching: boolean;
  onContinue: () => void;
}) {
  return (
    <div className="flex flex-wrap items-center justify-between gap-3 text-sm text-slate-600">
      <span data-testid="scan-progress" data-done={hasMore ? "false" : "true"}>
        {hasMore
          ? `Scanned about ${formatCount(Math.min(examined, dbSize))} of ${formatCount(dbSize)} keys so far; more keys may match.`
          : `Scanned all ${formatCount(dbSize)} keys.`}
      </span>
      {hasMore && (
        <Button variant="secondary" onClick={onContinue} disabled={fetching}>
          {fetching ? "Scanning…" : "Continue scanning"}
        </Button>
      )}
    </div>
  );
}
