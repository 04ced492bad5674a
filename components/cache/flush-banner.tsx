"use client";

import { useQuery } from "@tanstack/react-query";
import { queryKeys } from "@/components/query/api";
import { formatCount } from "@/components/ui/format";
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
  // Reads the cache the Jobs panel fills; never fetches on its own.
  const { data } = useQuery<{ jobs: JobSnapshot[] }>({
    queryKey: queryKeys.cache.jobs(connectionId),
    enabled: false,
  });
  const job = data?.jobs.find((j) => j.id === started.id) ?? started;
  const deleted = `${formatCount(job.deleted)} ${job.deleted === 1 ? "key" : "keys"} deleted`;
  const text =
    job.state === "running"
      ? `Flushing ${job.pattern} in the background: ${deleted} so far; follow it under Jobs.`
      : job.state === "done"
        ? `Flushed ${job.pattern}: ${deleted}.`
        : job.state === "cancelled"
          ? `The flush of ${job.pattern} was cancelled after ${deleted}.`
          : `The flush of ${job.pattern} failed after ${deleted}${job.error ? `: ${job.error.message}` : "."}`;
  return (
    <Notice tone={job.state === "failed" ? "error" : job.state === "running" ? "info" : "success"}>
      <span className="flex flex-wrap items-center justify-between gap-2">
        <span data-testid="flush-banner" data-state={job.state}>
          {text}
        </span>
        {job.state !== "running" && (
          <button type="button" className="text-xs underline" onClick={onDismiss}>
            Dismiss
          </button>
        )}
      </span>
    </Notice>
  );
}
