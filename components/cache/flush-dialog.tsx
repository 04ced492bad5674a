"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, useTransition, type FormEvent } from "react";
import { cacheQueryKeys } from "@/components/cache/query-keys";
import { Dialog } from "@/components/ui/dialog";
import { formatCount } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import { dryRunFlush, startFlushJob } from "@/lib/actions/cache";
import { roleAllows, type Role } from "@/lib/auth/roles";

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
  onStarted: (pattern: string) => void;
}) {
  return (
    <Dialog open={pattern !== null} title="Flush keys" onClose={onClose} wide>
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
  onStarted: (pattern: string) => void;
}) {
  const queryClient = useQueryClient();
  const [confirm, setConfirm] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const dryRun = useQuery({
    queryKey: cacheQueryKeys.dryRun(connectionId, pattern),
    queryFn: async () => {
      const result = await dryRunFlush({ conn: connectionId, pattern });
      if (!result.ok) throw new Error(result.error.message);
      return result.data;
    },
    staleTime: 0,
    gcTime: 0,
    retry: false,
    refetchOnWindowFocus: false,
  });
  const data = dryRun.data;
  const needsAdmin = data?.matchesEverything === true && !roleAllows(role, "admin");
  const canSubmit = !!data && !needsAdmin && confirm === pattern && !pending;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!canSubmit) return;
    setError(null);
    startTransition(async () => {
      const result = await startFlushJob({ conn: connectionId, pattern, confirm });
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      await queryClient.invalidateQueries({ queryKey: cacheQueryKeys.jobs(connectionId) });
      onStarted(pattern);
    });
  }

  return (
    <div data-testid="flush-dialog" className="flex flex-col gap-4 text-sm text-slate-700">
      <p>
        Pattern: <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono">{pattern}</code>
      </p>
      {dryRun.isPending && <p className="text-slate-500">Dry run: counting the keys that would go…</p>}
      {dryRun.isError && <Notice tone="error">{dryRun.error.message}</Notice>}
      {data && (
        <>
          <p>
            Dry run:{" "}
            <strong data-testid="dry-run-count" data-count={data.count} data-estimated={data.estimated}>
              {`${data.estimated ? "about " : ""}${formatCount(data.count)} ${data.count === 1 ? "key" : "keys"}`}
            </strong>{" "}
            {data.estimated
              ? `would be deleted (estimated from ${formatCount(data.examined)} of ${formatCount(data.dbSize)} keys scanned).`
              : "would be deleted (exact: the whole database was scanned)."}
          </p>
          {data.sample.length > 0 && (
            <div>
              <p className="mb-1 text-xs font-medium text-slate-500 uppercase">Some of them</p>
              <ul
                data-testid="dry-run-sample"
                className="max-h-40 overflow-y-auto rounded-lg border border-slate-200 bg-slate-50 p-2 font-mono text-xs"
              >
                {data.sample.map((key) => (
                  <li key={key.ref}>{key.key}</li>
                ))}
              </ul>
            </div>
          )}
          {data.matchesEverything && (
            <Notice tone={needsAdmin ? "error" : "warning"}>
              This pattern matches every key: flushing it empties the whole database (except the console’s own
              keys){needsAdmin ? ", which needs the admin role." : "."}
            </Notice>
          )}
        </>
      )}
      <form onSubmit={submit} className="flex flex-col gap-3" aria-label="Confirm the flush">
        <label className="flex flex-col gap-1 font-medium">
          Type the pattern to confirm
          <input
            value={confirm}
            onChange={(event) => setConfirm(event.target.value)}
            placeholder={pattern}
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
            Cancel
          </button>
          <button type="submit" className={DANGER} disabled={!canSubmit}>
            {pending ? "Starting…" : "Flush"}
          </button>
        </div>
      </form>
    </div>
  );
}
