"use client";

import { useEffect, type ReactNode } from "react";
import { KeyBreadcrumbs, type KeyOrigin } from "@/components/keys/key-breadcrumbs";
import { KeyTypeBadge } from "@/components/keys/key-type-badge";
import { useRemainingSeconds } from "@/components/keys/use-countdown";
import { formatBytes, formatCount, formatDuration } from "@/components/ui/format";
import type { KeyPage } from "@/lib/keys/read";

/** How big the value is, in the unit of its type. */
export function sizeText(page: KeyPage): string {
  const count = (n: number, one: string, many: string) => `${formatCount(n)} ${n === 1 ? one : many}`;
  switch (page.type) {
    case "string":
      return count(page.size, "byte", "bytes");
    case "hash":
      return count(page.size, "field", "fields");
    case "list":
      return count(page.length, "item", "items");
    case "set":
    case "zset":
      return count(page.size, "member", "members");
    case "stream":
      return count(page.length, "entry", "entries");
  }
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
          <h1 className="mt-1 font-mono text-2xl font-semibold break-all text-slate-900">{page.key}</h1>
        </div>
        {actions}
      </div>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
        <Fact label="Type">
          <KeyTypeBadge type={page.type} testId="key-type" />
        </Fact>
        <Fact label="TTL" testId="key-ttl">
          <span title={remaining === null ? undefined : `${formatCount(remaining)} seconds`}>
            {remaining === null ? "no expiry" : remaining === 0 ? "expiring…" : formatDuration(remaining)}
          </span>
        </Fact>
        <Fact label="Memory">{page.memoryBytes === null ? "—" : formatBytes(page.memoryBytes)}</Fact>
        <Fact label="Size">{sizeText(page)}</Fact>
        <Fact label="Encoding">
          <span className="font-mono">{page.encoding ?? "—"}</span>
        </Fact>
        {page.frequency !== null ? (
          <Fact label="Access frequency">{formatCount(page.frequency)} (LFU)</Fact>
        ) : (
          <Fact label="Idle">{page.idleSeconds === null ? "—" : formatDuration(page.idleSeconds)}</Fact>
        )}
      </dl>
    </header>
  );
}
