import { Notice } from "@/components/ui/notice";
import type { AuditBacklog } from "@/lib/audit";

function entries(count: number): string {
  return count === 1 ? "1 audit entry is" : `${count} audit entries are`;
}

/** Says what the audit stream is still missing: entries kept on disk, and any that were lost. */
export function AuditBacklogNotice({ backlog }: { backlog: AuditBacklog }) {
  return (
    <>
      {backlog.waiting > 0 && (
        <div data-testid="audit-backlog">
          <Notice tone="warning" title="Some changes are not in the log yet">
            {entries(backlog.waiting)} waiting: {backlog.reason ?? "the audit stream refused writes"}. They
            are kept on disk and will be written in order when Redis accepts writes again.
          </Notice>
        </div>
      )}
      {backlog.lost ? (
        <Notice tone="error" title="Audit entries were lost">
          {backlog.lost === 1 ? "1 audit entry was" : `${backlog.lost} audit entries were`} lost because the
          spool on disk was full or could not be written; the server log says when.
        </Notice>
      ) : null}
    </>
  );
}
