"use client";

import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { DatabaseFlush } from "@/components/cache/database-flush";
import { FlushBanner } from "@/components/cache/flush-banner";
import { FlushDialog } from "@/components/cache/flush-dialog";
import { JobsPanel } from "@/components/cache/jobs-panel";
import { NamespaceHitRates } from "@/components/cache/namespace-hit-rates";
import { NamespacesTable } from "@/components/cache/namespaces-table";
import { SlowLog } from "@/components/cache/slow-log";
import { MetricsCharts } from "@/components/metrics/metrics-charts";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { roleAllows, type Role } from "@/lib/auth/roles";
import type { JobSnapshot } from "@/lib/cache/job-registry";

/** The Cache page: namespaces, the flush flow (dry run → typed confirmation → job), jobs, and the admin's database flush. */
export function CacheConsole({
  connectionId,
  role,
  initialPrefix,
}: {
  connectionId: string;
  role: Role;
  initialPrefix: string;
}) {
  const t = useTranslations("cache.console");
  const tRole = useTranslations("cache.roles");
  const canFlush = roleAllows(role, "operator");
  const readOnlyReason = t("readOnlyReason", { role: tRole(role) });
  const [flushing, setFlushing] = useState<string | null>(null);
  const [freePattern, setFreePattern] = useState("");
  const [startedJob, setStartedJob] = useState<JobSnapshot | null>(null);

  function openFree(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (freePattern.trim()) setFlushing(freePattern);
  }

  return (
    <div className="flex flex-col gap-6">
      {startedJob && (
        <FlushBanner connectionId={connectionId} started={startedJob} onDismiss={() => setStartedJob(null)} />
      )}
      {!canFlush && (
        <p data-testid="flush-disabled-reason" className="text-sm text-slate-600">
          {readOnlyReason}
        </p>
      )}
      <MetricsCharts
        connectionId={connectionId}
        title={t("chartsTitle")}
        charts={["hitRate", "keys", "memory", "ops"]}
      />
      <NamespaceHitRates connectionId={connectionId} />
      <NamespacesTable
        connectionId={connectionId}
        initialPrefix={initialPrefix}
        canFlush={canFlush}
        readOnlyReason={readOnlyReason}
        onFlush={(pattern) => {
          setStartedJob(null);
          setFlushing(pattern);
        }}
      />
      <Card title={t("byPattern")}>
        <form onSubmit={openFree} className="flex flex-wrap items-end gap-3" aria-label={t("byPattern")}>
          <label className="flex min-w-72 flex-1 flex-col gap-1 text-sm font-medium text-slate-700">
            {t("patternLabel")}
            <input
              value={freePattern}
              onChange={(event) => setFreePattern(event.target.value)}
              placeholder="result:*, cache:embeddings:*"
              translate="no"
              spellCheck={false}
              autoComplete="off"
              disabled={!canFlush}
              title={canFlush ? undefined : readOnlyReason}
              className="rounded-lg border border-slate-300 bg-white px-3 py-2 font-mono font-normal disabled:bg-slate-100"
            />
          </label>
          <Button
            type="submit"
            variant="secondary"
            disabled={!canFlush || !freePattern.trim()}
            title={canFlush ? undefined : readOnlyReason}
          >
            {t("flush")}
          </Button>
        </form>
        <p className="mt-2 text-xs text-slate-500">
          {t.rich("globHelp", { code: (chunks) => <code>{chunks}</code> })}
        </p>
      </Card>
      <JobsPanel connectionId={connectionId} canCancel={canFlush} readOnlyReason={readOnlyReason} />
      <SlowLog connectionId={connectionId} />
      {roleAllows(role, "admin") && <DatabaseFlush connectionId={connectionId} />}
      <FlushDialog
        connectionId={connectionId}
        pattern={flushing}
        role={role}
        onClose={() => setFlushing(null)}
        onStarted={(job) => {
          setFlushing(null);
          setStartedJob(job);
        }}
      />
    </div>
  );
}
