"use client";

import type { ReactNode } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { queryKeys } from "@/components/query/api";
import { useErrorText } from "@/components/cache/use-error-text";
import { useFormat } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import type { JobSnapshot } from "@/lib/cache/job-registry";

/**
 * What the flush just started is doing, read from the same jobs list the Jobs panel keeps current
 * (live over the page's stream): "Flushing … in the background" only while it runs, then how it ended.
 */
export function FlushBanner({
  connectionId,
  started,
  onDismiss,
}: {
  connectionId: string;
  /** The job as it was when it started. */
  started: JobSnapshot;
  onDismiss: () => void;
}) {
  const t = useTranslations("cache.banner");
  const f = useFormat();
  const errorText = useErrorText();
  // Reads the cache the Jobs panel fills; never fetches on its own.
  const { data } = useQuery<{ jobs: JobSnapshot[] }>({
    queryKey: queryKeys.cache.jobs(connectionId),
    enabled: false,
  });
  const job = data?.jobs.find((j) => j.id === started.id) ?? started;
  const values = {
    count: job.deleted,
    n: f.count(job.deleted),
    pattern: (chunks: ReactNode) => <span translate="no">{chunks}</span>,
    p: job.pattern,
  };
  const text =
    job.state === "running"
      ? t.rich("running", values)
      : job.state === "done"
        ? t.rich("done", values)
        : job.state === "cancelled"
          ? t.rich("cancelled", values)
          : job.error
            ? t.rich("failedWith", { ...values, reason: errorText(job.error) })
            : t.rich("failed", values);
  return (
    <Notice tone={job.state === "failed" ? "error" : job.state === "running" ? "info" : "success"}>
      <span className="flex flex-wrap items-center justify-between gap-2">
        <span data-testid="flush-banner" data-state={job.state}>
          {text}
        </span>
        {job.state !== "running" && (
          <button type="button" className="text-xs underline" onClick={onDismiss}>
            {t("dismiss")}
          </button>
        )}
      </span>
    </Notice>
  );
}
