"use client";

import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { useFormat } from "@/components/ui/format";

/**
 * How far the SCAN got, in keys examined out of DBSIZE, and a way to go on. The page never stops
 * at a budget without saying so: while the cursor is not back at 0 this says more keys may match.
 * While a streamed scan runs (`onStop` given), the figures grow as it goes and Stop ends it.
 */
export function ScanProgress({
  examined,
  dbSize,
  hasMore,
  fetching,
  onContinue,
  streaming = false,
  onStop,
}: {
  examined: number;
  dbSize: number;
  hasMore: boolean;
  fetching: boolean;
  onContinue: () => void;
  streaming?: boolean;
  onStop?: () => void;
}) {
  const t = useTranslations("keys.scan");
  const f = useFormat();
  return (
    <div className="flex flex-wrap items-center justify-between gap-3 text-sm text-slate-600">
      <span
        data-testid="scan-progress"
        data-done={hasMore ? "false" : "true"}
        data-streaming={streaming ? "true" : "false"}
      >
        {hasMore
          ? t("partial", { examined: f.count(Math.min(examined, dbSize)), total: f.count(dbSize) })
          : t("all", { total: f.count(dbSize) })}
      </span>
      {streaming && onStop ? (
        <Button variant="secondary" onClick={onStop}>
          {t("stop")}
        </Button>
      ) : (
        hasMore && (
          <Button variant="secondary" onClick={onContinue} disabled={fetching}>
            {fetching ? t("scanning") : t("continue")}
          </Button>
        )
      )}
    </div>
  );
}
