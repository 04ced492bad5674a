"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useCallback, useEffect, useId, useRef, useState, useTransition } from "react";
import type { FeedEvent } from "@/components/live/live-connection";
import { useLiveStream } from "@/components/live/use-live-stream";
import { api, queryKeys } from "@/components/query/api";
import { fetchJson } from "@/components/query/fetch-json";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { useErrorText } from "@/components/cache/use-error-text";
import { useFormat } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import { cancelCountJob, cancelFlushJob } from "@/lib/actions/cache";
import type { JobSnapshot } from "@/lib/cache/job-registry";
import type { WatchTarget } from "@/lib/live/protocol";
import { callAction } from "@/components/actions/call-action";

const JOBS_TARGET: WatchTarget = { kind: "jobs", name: "all" };

/** A job's newest snapshot in the list (newest job first); an unknown job is a new one. */
function mergeJob(jobs: JobSnapshot[], job: JobSnapshot): JobSnapshot[] {
  const index = jobs.findIndex((j) => j.id === job.id);
  if (index === -1) return [job, ...jobs];
  return jobs.map((j, i) => (i === index ? job : j));
}

const STATE_STYLES: Record<JobSnapshot["state"], string> = {
  running: "bg-sky-100 text-sky-800",
  done: "bg-emerald-100 text-emerald-800",
  cancelled: "bg-amber-100 text-amber-900",
  failed: "bg-red-100 text-red-800",
};

const BAR_STYLES: Record<JobSnapshot["state"], string> = {
  running: "bg-sky-500",
  done: "bg-emerald-500",
  cancelled: "bg-amber-400",
  failed: "bg-red-500",
};

/** Flush and count jobs of the connection; they live on the server, so a reload still shows them. */
export function JobsPanel({
  connectionId,
  canCancel,
  readOnlyReason,
}: {
  connectionId: string;
  canCancel: boolean;
  readOnlyReason: string;
}) {
  const t = useTranslations("cache.jobs");
  const queryClient = useQueryClient();
  // Progress arrives over the tab's live stream (every 250 ms while a job runs, and when it ends);
  // while the stream is down the list is polled instead.
  const onFeed = useCallback(
    (event: FeedEvent) => {
      const key = queryKeys.cache.jobs(connectionId);
      if (event.type === "jobs") queryClient.setQueryData(key, { jobs: event.data.jobs });
      if (event.type === "job" && event.data.connectionId === connectionId) {
        const job = event.data;
        queryClient.setQueryData<{ jobs: JobSnapshot[] }>(key, (old) => ({
          jobs: mergeJob(old?.jobs ?? [], job),
        }));
      }
    },
    [queryClient, connectionId],
  );
  const live = useLiveStream(connectionId, { onFeed });
  const { watch, unwatch } = live;
  useEffect(() => {
    watch([JOBS_TARGET]);
    return () => unwatch([JOBS_TARGET]);
  }, [watch, unwatch]);
  const streaming = live.status === "open" && live.watching.some((t) => t.kind === "jobs");
  const query = useQuery({
    queryKey: queryKeys.cache.jobs(connectionId),
    queryFn: () => fetchJson(api.cacheJobs(connectionId)),
    refetchInterval: (q) =>
      streaming ? 30_000 : q.state.data?.jobs.some((job) => job.state === "running") ? 1_000 : 5_000,
    staleTime: 0,
  });
  const jobs = query.data?.jobs;

  // When a flush finishes, the namespaces' figures are out of date.
  const running = useRef<Set<string>>(new Set());
  useEffect(() => {
    if (!jobs) return;
    const now = new Set(jobs.filter((job) => job.state === "running").map((job) => job.id));
    const finished = [...running.current].some((id) => !now.has(id));
    running.current = now;
    if (finished) void queryClient.invalidateQueries({ queryKey: queryKeys.cache.all(connectionId) });
  }, [jobs, queryClient, connectionId]);

  return (
    <Card title={t("title")}>
      <p className="mb-3 text-xs text-slate-500" data-testid="jobs-source">
        {streaming ? t("live") : t("polled")}
      </p>
      {query.isError && <Notice tone="error">{query.error.message}</Notice>}
      {query.isPending && <p className="text-sm text-slate-500">{t("loading")}</p>}
      {jobs && jobs.length === 0 && <p className="text-sm text-slate-500">{t("none")}</p>}
      {jobs && jobs.length > 0 && (
        <ul className="divide-y divide-slate-100">
          {jobs.map((job) => (
            <JobRow
              key={job.id}
              job={job}
              connectionId={connectionId}
              canCancel={job.kind === "count" || canCancel}
              readOnlyReason={readOnlyReason}
            />
          ))}
        </ul>
      )}
    </Card>
  );
}

function JobRow({
  job,
  connectionId,
  canCancel,
  readOnlyReason,
}: {
  job: JobSnapshot;
  connectionId: string;
  canCancel: boolean;
  readOnlyReason: string;
}) {
  const t = useTranslations("cache.jobs");
  const f = useFormat();
  const labelId = useId();
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const percent = Math.round(Math.min(1, Math.max(0, job.progress)) * 100);
  const running = job.state === "running";

  function cancel() {
    setError(null);
    startTransition(async () => {
      const result =
        job.kind === "count"
          ? await callAction(cancelCountJob, { id: job.id })
          : await callAction(cancelFlushJob, { id: job.id });
      if (!result.ok) setError(result.error.message);
      await queryClient.invalidateQueries({ queryKey: queryKeys.cache.jobs(connectionId) });
    });
  }

  const figures = [
    t("scanned", { scanned: f.count(job.scanned), total: f.count(job.totalKeys) }),
    job.kind === "flush"
      ? t("deleted", { n: f.count(job.deleted) })
      : t("counted", { n: f.count(job.matched) }),
    t("rate", { n: f.count(Math.round(job.ratePerSec)) }),
  ];
  if (running)
    figures.push(job.etaSeconds === null ? t("etaUnknown") : t("eta", { eta: f.duration(job.etaSeconds) }));
  if (job.nodes > 1) figures.push(t("nodesDone", { done: job.nodesDone, total: job.nodes }));

  return (
    <li data-testid="job-row" data-state={job.state} data-id={job.id} className="flex flex-col gap-2 py-3">
      <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
        <div className="flex flex-wrap items-center gap-2">
          <span id={`${labelId}-kind`} className="font-medium text-slate-800">
            {t(`kind.${job.kind}`)}
          </span>
          <code id={`${labelId}-pattern`} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs">
            {job.pattern}
          </code>
          <span
            data-testid="job-state"
            className={`rounded-full px-2 py-0.5 text-xs font-medium ${STATE_STYLES[job.state]}`}
          >
            {t(`state.${job.state}`)}
          </span>
          <span className="text-xs text-slate-500">
            {t.rich("startedBy", {
              user: job.user,
              time: f.time(job.startedAt),
              name: (chunks) => <span translate="no">{chunks}</span>,
            })}
          </span>
        </div>
        {running && (
          <Button
            variant="secondary"
            className="px-2.5 py-1"
            onClick={cancel}
            disabled={!canCancel || pending}
            title={canCancel ? undefined : readOnlyReason}
          >
            {pending ? t("cancelling") : t("cancel")}
          </Button>
        )}
      </div>
      <div
        data-testid="job-progress"
        role="progressbar"
        aria-labelledby={`${labelId}-kind ${labelId}-pattern`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        className="h-2 w-full overflow-hidden rounded bg-slate-100"
      >
        <div className={`h-full ${BAR_STYLES[job.state]}`} style={{ width: `${percent}%` }} />
      </div>
      <p className="text-xs text-slate-500 tabular-nums" data-testid="job-figures">
        {percent}% · {figures.join(" · ")}
        {job.kind === "count" && !job.exact && t("mayRunHigh")}
        {job.cancelledBy &&
          t.rich("cancelledBy", {
            user: job.cancelledBy,
            name: (chunks) => <span translate="no">{chunks}</span>,
          })}
      </p>
      {job.error && <Notice tone="error">{errorText(job.error)}</Notice>}
      {error && <Notice tone="error">{error}</Notice>}
    </li>
  );
}
