"use client";

import { useTranslations } from "next-intl";
import { useEffect, type ReactNode } from "react";
import { KeyBreadcrumbs, type KeyOrigin } from "@/components/keys/key-breadcrumbs";
import { KeyTypeBadge } from "@/components/keys/key-type-badge";
import { useRemainingSeconds } from "@/components/keys/use-countdown";
import { useFormat } from "@/components/ui/format";
import type { KeyPage } from "@/lib/keys/read";

/** How big a value is, in the unit of its type: "3 fields", "1 entry". */
export function useSizeText(): (page: KeyPage) => string {
  const t = useTranslations("keys.size");
  const f = useFormat();
  return (page) => {
    switch (page.type) {
      case "string":
        return t("bytes", { count: page.size, n: f.count(page.size) });
      case "hash":
        return t("fields", { count: page.size, n: f.count(page.size) });
      case "list":
        return t("items", { count: page.length, n: f.count(page.length) });
      case "set":
      case "zset":
        return t("members", { count: page.size, n: f.count(page.size) });
      case "stream":
        return t("entries", { count: page.length, n: f.count(page.length) });
    }
  };
}

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-3 py-2">
      <dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">{label}</dt>
      <dd className="mt-0.5 text-sm text-slate-900 tabular-nums" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

/** The key's name as displayed, and what Redis says about it; the TTL counts down as you watch. */
export function KeyHeader({
  page,
  readAt,
  actions,
  onExpired,
  delimiter,
  origin,
}: {
  /** The most recently read page: its metadata is the freshest. */
  page: KeyPage;
  /** When that page was read (ms), for the countdown. */
  readAt: number;
  actions: ReactNode;
  /** Called once when the countdown reaches zero, to read the key again. */
  onExpired: () => void;
  /** The keys tree's delimiter, for the breadcrumb's namespaces. */
  delimiter: string;
  origin: KeyOrigin;
}) {
  const t = useTranslations("keys.header");
  const f = useFormat();
  const sizeText = useSizeText();
  const remaining = useRemainingSeconds(page.ttlSeconds, readAt);
  const expired = remaining === 0;
  useEffect(() => {
    if (expired) onExpired();
  }, [expired, onExpired]);
  return (
    <header className="flex flex-col gap-4">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <KeyBreadcrumbs name={page.key} delimiter={delimiter} origin={origin} />
          <h1 className="mt-1 font-mono text-2xl font-semibold break-all text-slate-900" translate="no">
            {page.key}
          </h1>
        </div>
        {actions}
      </div>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
        <Fact label={t("type")}>
          <KeyTypeBadge type={page.type} testId="key-type" />
        </Fact>
        <Fact label="TTL" testId="key-ttl">
          <span title={remaining === null ? undefined : t("seconds", { n: f.count(remaining) })}>
            {remaining === null ? t("noExpiry") : remaining === 0 ? t("expiring") : f.duration(remaining)}
          </span>
        </Fact>
        <Fact label={t("memory")}>{page.memoryBytes === null ? "—" : f.bytes(page.memoryBytes)}</Fact>
        <Fact label={t("size")}>{sizeText(page)}</Fact>
        <Fact label={t("encoding")}>
          <span className="font-mono" translate="no">
            {page.encoding ?? "—"}
          </span>
        </Fact>
        {page.frequency !== null ? (
          <Fact label={t("frequency")}>{t("lfu", { n: f.count(page.frequency) })}</Fact>
        ) : (
          <Fact label={t("idle")}>{page.idleSeconds === null ? "—" : f.duration(page.idleSeconds)}</Fact>
        )}
      </dl>
    </header>
  );
}
