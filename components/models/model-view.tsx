"use client";

import { useTranslations } from "next-intl";
import Link from "next/link";
import { useState } from "react";
import { BulkEditor } from "@/components/models/bulk-editor";
import { CloneDialog } from "@/components/models/clone-dialog";
import { ModelChart } from "@/components/models/model-chart";
import { ModelHistory } from "@/components/models/model-history";
import { ParamTable } from "@/components/models/param-table";
import { api } from "@/components/query/api";
import { Button } from "@/components/ui/button";
import { useFormat } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import type { ModelSummary } from "@/lib/models/summary";

type Tab = "parameters" | "chart" | "history";

const TABS: Tab[] = ["parameters", "chart", "history"];

interface Props {
  connectionId: string;
  summary: ModelSummary;
  tab: Tab;
  canEdit: boolean;
  readOnlyReason: string;
  /** The key this one was just cloned from, when the page was opened by a clone. */
  clonedFrom: { ref: string; key: string } | null;
}

export function ModelView({ connectionId, summary, tab, canEdit, readOnlyReason, clonedFrom }: Props) {
  const t = useTranslations("models.model");
  const f = useFormat();
  const [bulkOpen, setBulkOpen] = useState(false);
  const [cloneOpen, setCloneOpen] = useState(false);
  const others = summary.versions.filter((v) => v.ref !== summary.ref);

  const exportHref = (format: "json" | "csv") => api.modelExport(summary.ref, { conn: connectionId, format });

  return (
    <div className="flex flex-col gap-5">
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <nav aria-label={t("breadcrumb")} className="text-sm text-slate-500">
            <Link href="/models" className="hover:underline">
              {t("models")}
            </Link>{" "}
            / <span translate="no">{summary.name}</span>
          </nav>
          <h1 className="mt-1 font-mono text-2xl font-semibold break-all text-slate-900" translate="no">
            {summary.key}
          </h1>
          <p className="mt-1 text-sm text-slate-600" data-testid="model-stats">
            {t("fields", { count: summary.fields })} ·{" "}
            {summary.memoryBytes === null ? "—" : f.bytes(summary.memoryBytes)} ·{" "}
            {summary.ttlSeconds === null
              ? t("noExpiry")
              : t("expiresIn", { duration: f.duration(summary.ttlSeconds) })}
          </p>
          {summary.versions.length > 1 && (
            <nav aria-label={t("versions")} className="mt-2 flex flex-wrap items-center gap-1.5 text-sm">
              <span className="text-slate-500">{t("versionsLabel")}</span>
              {summary.versions.map((v) => (
                <Link
                  key={v.ref}
                  href={`/models/${v.ref}`}
                  aria-current={v.ref === summary.ref ? "page" : undefined}
                  className={`rounded px-2 py-0.5 ${v.ref === summary.ref ? "bg-slate-800 text-white" : "bg-slate-100 text-slate-700 hover:bg-slate-200"}`}
                >
                  v{v.version}
                </Link>
              ))}
              {!summary.versionsComplete && (
                <span className="text-xs text-slate-500">
                  {t("versionsIncomplete", { count: f.count(300_000) })}
                </span>
              )}
            </nav>
          )}
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <a
            href={exportHref("json")}
            className="rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm hover:bg-slate-50"
            download
          >
            {t("exportJson")}
          </a>
          <a
            href={exportHref("csv")}
            className="rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm hover:bg-slate-50"
            download
          >
            {/* A format's name, like JSON: not translated. */}
            {t.rich("exportCsv", { name: (chunks) => <span translate="no">{chunks}</span> })}
          </a>
          <Button
            variant="secondary"
            onClick={() => setBulkOpen(true)}
            disabled={!canEdit}
            title={canEdit ? undefined : readOnlyReason}
          >
            {t("bulkEdit")}
          </Button>
          <Button
            onClick={() => setCloneOpen(true)}
            disabled={!canEdit}
            title={canEdit ? undefined : readOnlyReason}
          >
            {summary.version === null ? t("clone") : t("cloneVersion")}
          </Button>
        </div>
      </header>
      {clonedFrom && (
        <Notice tone="success" title={t("cloned")}>
          <span data-testid="clone-result">
            {t.rich("clonedText", {
              key: summary.key,
              source: clonedFrom.key,
              count: summary.fields,
              data: (chunks) => <span translate="no">{chunks}</span>,
              link: (chunks) => (
                <Link href={`/models/${clonedFrom.ref}`} className="font-mono underline" translate="no">
                  {chunks}
                </Link>
              ),
            })}
          </span>
        </Notice>
      )}
      {others.length > 0 && (
        <div className="flex flex-wrap items-center gap-2 text-sm text-slate-600">
          {t("compareWith")}
          {others.map((v) => (
            <Link
              key={v.ref}
              href={`/models/compare?a=${v.ref}&b=${summary.ref}`}
              title={t("compareTitle", { version: String(v.version) })}
              className="text-brand-700 hover:bg-brand-50 rounded bg-white px-2 py-0.5 ring-1 ring-slate-200"
            >
              v{v.version}
            </Link>
          ))}
        </div>
      )}
      <nav aria-label={t("sections")} className="flex gap-1 border-b border-slate-200">
        {TABS.map((name) => (
          <Link
            key={name}
            href={`/models/${summary.ref}?tab=${name}`}
            aria-current={tab === name ? "page" : undefined}
            className={`-mb-px border-b-2 px-4 py-2 text-sm font-medium ${
              tab === name
                ? "border-brand-600 text-brand-700"
                : "border-transparent text-slate-500 hover:text-slate-800"
            }`}
          >
            {t(`tabs.${name}`)}
          </Link>
        ))}
      </nav>
      {tab === "parameters" && (
        <ParamTable
          connectionId={connectionId}
          keyRef={summary.ref}
          canEdit={canEdit}
          readOnlyReason={readOnlyReason}
        />
      )}
      {tab === "chart" && <ModelChart connectionId={connectionId} keyRef={summary.ref} />}
      {tab === "history" && (
        <ModelHistory
          connectionId={connectionId}
          keyRef={summary.ref}
          canEdit={canEdit}
          readOnlyReason={readOnlyReason}
        />
      )}
      {cloneOpen && (
        <CloneDialog connectionId={connectionId} summary={summary} onClose={() => setCloneOpen(false)} />
      )}
      {bulkOpen && (
        <BulkEditor connectionId={connectionId} keyRef={summary.ref} onClose={() => setBulkOpen(false)} />
      )}
    </div>
  );
}
