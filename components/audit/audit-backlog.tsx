import { useTranslations } from "next-intl";
import { Notice } from "@/components/ui/notice";
import type { AuditBacklog } from "@/lib/audit";

/** Says what the audit stream is still missing: entries kept on disk, and any that were lost. */
export function AuditBacklogNotice({ backlog }: { backlog: AuditBacklog }) {
  const t = useTranslations("audit.backlog");
  return (
    <>
      {backlog.waiting > 0 && (
        <div data-testid="audit-backlog">
          <Notice tone="warning" title={t("waitingTitle")}>
            {backlog.reason
              ? t("waiting", { count: backlog.waiting, reason: backlog.reason })
              : t("waitingRefused", { count: backlog.waiting })}
          </Notice>
        </div>
      )}
      {backlog.lost ? (
        <Notice tone="error" title={t("lostTitle")}>
          {t("lost", { count: backlog.lost })}
        </Notice>
      ) : null}
    </>
  );
}
