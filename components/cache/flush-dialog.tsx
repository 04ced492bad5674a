"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState, useTransition, type FormEvent, type ReactNode } from "react";
import { queryKeys } from "@/components/query/api";
import { Dialog } from "@/components/ui/dialog";
import { useFormat } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import { dryRunFlush, startFlushJob } from "@/lib/actions/cache";
import { roleAllows, type Role } from "@/lib/auth/roles";
import { callAction } from "@/components/actions/call-action";
import type { JobSnapshot } from "@/lib/cache/job-registry";
import type { WholeDatabase } from "@/lib/cache/policy";

export const DANGER =
  "inline-flex items-center justify-center rounded-lg bg-red-600 px-3.5 py-2 text-sm font-medium text-white transition-colors hover:bg-red-700 focus-visible:ring-2 focus-visible:ring-red-500 focus-visible:outline-none disabled:cursor-not-allowed disabled:bg-slate-300";

/** Dry run → typed confirmation → background flush job, for one pattern. */
export function FlushDialog({
  connectionId,
  pattern,
  role,
  onClose,
  onStarted,
}: {
  connectionId: string;
  pattern: string | null;
  role: Role;
  onClose: () => void;
  onStarted: (job: JobSnapshot) => void;
}) {
  const t = useTranslations("cache.flushDialog");
  return (
    <Dialog open={pattern !== null} title={t("title")} onClose={onClose} wide>
      {pattern !== null && (
        <FlushDialogBody
          key={pattern}
          connectionId={connectionId}
          pattern={pattern}
          role={role}
          onClose={onClose}
          onStarted={onStarted}
        />
      )}
    </Dialog>
  );
}

function FlushDialogBody({
  connectionId,
  pattern,
  role,
  onClose,
  onStarted,
}: {
  connectionId: string;
  pattern: string;
  role: Role;
  onClose: () => void;
  onStarted: (job: JobSnapshot) => void;
}) {
  const t = useTranslations("cache.flushDialog");
  const f = useFormat();
  const queryClient = useQueryClient();
  const [confirm, setConfirm] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const dryRun = useQuery({
    queryKey: queryKeys.cache.dryRun(connectionId, pattern),
    queryFn: async () => {
      const result = await callAction(dryRunFlush, { conn: connectionId, pattern });
      if (!result.ok) throw new Error(result.error.message);
      return result.data;
    },
    staleTime: 0,
    gcTime: 0,
    retry: false,
    refetchOnWindowFocus: false,
  });
  const data = dryRun.data;
  // A pattern that reaches every key is a database flush: admin only, confirmed with its name.
  const wholeDatabase = data?.matchesEverything === true;
  const needsAdmin = wholeDatabase && !roleAllows(role, "admin");
  const confirmWith = wholeDatabase ? data.databaseLabel : pattern;
  const canSubmit = !!data && !needsAdmin && confirm === confirmWith && !pending;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!canSubmit) return;
    setError(null);
    startTransition(async () => {
      const result = await callAction(startFlushJob, { conn: connectionId, pattern, confirm });
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      await queryClient.invalidateQueries({ queryKey: queryKeys.cache.jobs(connectionId) });
      onStarted(result.data);
    });
  }

  return (
    <div data-testid="flush-dialog" className="flex flex-col gap-4 text-sm text-slate-700">
      <p>
        {t("pattern")} <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono">{pattern}</code>
      </p>
      {dryRun.isPending && <p className="text-slate-500">{t("counting")}</p>}
      {dryRun.isError && <Notice tone="error">{dryRun.error.message}</Notice>}
      {data && (
        <>
          <p>
            {t.rich(data.estimated ? "dryRunEstimated" : "dryRunExact", {
              count: data.count,
              n: f.count(data.count),
              examined: f.count(data.examined),
              total: f.count(data.dbSize),
              strong: (chunks) => (
                <strong data-testid="dry-run-count" data-count={data.count} data-estimated={data.estimated}>
                  {chunks}
                </strong>
              ),
            })}
          </p>
          {data.sample.length > 0 && (
            <div>
              <p className="mb-1 text-xs font-medium text-slate-500 uppercase">{t("sample")}</p>
              <ul
                data-testid="dry-run-sample"
                translate="no"
                className="max-h-40 overflow-y-auto rounded-lg border border-slate-200 bg-slate-50 p-2 font-mono text-xs"
              >
                {data.sample.map((key) => (
                  <li key={key.ref}>{key.key}</li>
                ))}
              </ul>
            </div>
          )}
          {data.wholeDatabase && (
            <WholeDatabaseNotice
              pattern={pattern}
              why={data.wholeDatabase}
              label={data.databaseLabel}
              needsAdmin={needsAdmin}
            />
          )}
        </>
      )}
      <form onSubmit={submit} className="flex flex-col gap-3" aria-label={t("confirmForm")}>
        <label className="flex flex-col gap-1 font-medium">
          {wholeDatabase ? t("confirmDatabase") : t("confirmPattern")}
          <input
            value={confirm}
            onChange={(event) => setConfirm(event.target.value)}
            placeholder={confirmWith}
            translate="no"
            spellCheck={false}
            autoComplete="off"
            disabled={needsAdmin}
            className="rounded-lg border border-slate-300 bg-white px-3 py-2 font-mono font-normal disabled:bg-slate-100"
          />
        </label>
        {error && <Notice tone="error">{error}</Notice>}
        <div className="flex justify-end gap-2">
          <button
            type="button"
            onClick={onClose}
            className="rounded-lg border border-slate-300 bg-white px-3.5 py-2 font-medium hover:bg-slate-50"
          >
            {t("cancel")}
          </button>
          <button type="submit" className={DANGER} disabled={!canSubmit}>
            {pending ? t("starting") : t("flush")}
          </button>
        </div>
      </form>
    </div>
  );
}

const CODE = "rounded bg-white/60 px-1 font-mono";

/** Why this flush would empty the database, and what to do: an admin confirms with its name. */
function WholeDatabaseNotice({
  pattern,
  why,
  label,
  needsAdmin,
}: {
  pattern: string;
  why: WholeDatabase;
  label: string;
  needsAdmin: boolean;
}) {
  const t = useTranslations("cache.wholeDatabase");
  const f = useFormat();
  const n = why.reason === "every-key-examined" ? f.count(why.examined) : "";
  const code = (chunks: ReactNode) => <code className={CODE}>{chunks}</code>;
  return (
    <Notice tone={needsAdmin ? "error" : "warning"} title={t("title")}>
      <div data-testid="whole-database-notice" className="flex flex-col gap-1.5">
        <p>
          {why.reason === "no-literal-part"
            ? t.rich("noLiteralPart", { pattern, code })
            : why.examined === 0
              ? t("empty")
              : t("everyKey", { n })}
        </p>
        {needsAdmin ? (
          <p>{t.rich("needsAdmin", { label, code, strong: (chunks) => <strong>{chunks}</strong> })}</p>
        ) : (
          <p>{t.rich("confirmWithName", { label, code })}</p>
        )}
      </div>
    </Notice>
  );
}
