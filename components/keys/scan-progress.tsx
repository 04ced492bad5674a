"use client";

import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { useFormat } from "@/components/ui/format";

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
  const t = useTranslations("keys.scan");
  const f = useFormat();
  return (
    <div className="flex flex-wrap items-center justify-between gap-3 text-sm text-slate-600">
      <span data-testid="scan-progress" data-done={hasMore ? "false" : "true"}>
        {hasMore
          ? t("partial", { examined: f.count(Math.min(examined, dbSize)), total: f.count(dbSize) })
          : t("all", { total: f.count(dbSize) })}
      </span>
      {hasMore && (
        <Button variant="secondary" onClick={onContinue} disabled={fetching}>
          {fetching ? t("scanning") : t("continue")}
        </Button>
      )}
    </div>
  );
}
