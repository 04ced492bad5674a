"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { TtlBar } from "@/components/cache/ttl-bar";
import { api, queryKeys } from "@/components/query/api";
import { fetchJson } from "@/components/query/fetch-json";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { useFormat } from "@/components/ui/format";
import type { Formatters } from "@/lib/i18n/format";
import { Notice } from "@/components/ui/notice";
import { Table } from "@/components/ui/table";
import type { NamespaceSummary } from "@/lib/cache/grouping";

function keysText(f: Formatters, value: number, sampled: boolean): string {
  return `${sampled ? "~" : ""}${f.count(Math.round(value))}`;
}

function memoryText(f: Formatters, estimated: number | null, sampled: boolean): string {
  if (estimated === null) return "—";
  return `${sampled ? "~" : ""}${f.bytes(estimated)}`;
}

export function NamespacesTable({
  connectionId,
  initialPrefix,
  canFlush,
  readOnlyReason,
  onFlush,
}: {
  connectionId: string;
  initialPrefix: string;
  canFlush: boolean;
  readOnlyReason: string;
  onFlush: (pattern: string) => void;
}) {
  const t = useTranslations("cache.namespaces");
  const f = useFormat();
  const [prefix, setPrefix] = useState(initialPrefix);
  const query = useQuery({
    queryKey: queryKeys.cache.namespaces(connectionId, prefix),
    queryFn: () => {
      return fetchJson(api.cacheNamespaces({ conn: connectionId, prefix }));
    },
    staleTime: 10_000,
  });

  useEffect(() => {
    const search = prefix ? `?${new URLSearchParams({ prefix })}` : "";
    window.history.replaceState(null, "", `/cache${search}`);
  }, [prefix]);

  const page = query.data;
  const sampled = page?.sampled ?? false;

  return (
    <Card title={t("title")}>
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <nav aria-label={t("namespace")} className="flex flex-wrap items-center gap-1 font-mono text-sm">
          <button
            type="button"
            onClick={() => setPrefix("")}
            className="text-brand-700 hover:underline disabled:text-slate-700 disabled:no-underline"
            disabled={!prefix}
          >
            {t("topLevel")}
          </button>
          {prefix && (
            <span className="text-slate-700">
              › <span translate="no">{prefix}</span>
            </span>
          )}
        </nav>
        <div className="flex items-center gap-3 text-xs text-slate-500">
          {page && (
            <span data-testid="namespaces-sample">
              {page.sampled
                ? t("estimated", { sample: f.count(page.sampleSize), total: f.count(page.dbSize) })
                : t("exact", { total: f.count(page.dbSize) })}
            </span>
          )}
          <Button variant="secondary" onClick={() => void query.refetch()} disabled={query.isFetching}>
            {query.isFetching ? t("sampling") : t("refresh")}
          </Button>
        </div>
      </div>
      {query.isError && <Notice tone="error">{query.error.message}</Notice>}
      {query.isPending && <p className="text-sm text-slate-500">{t("samplingKeyspace")}</p>}
      {page && page.namespaces.length === 0 && !page.direct && (
        <p className="text-sm text-slate-500">
          {prefix
            ? t.rich("noKeysUnder", { prefix, name: (chunks) => <span translate="no">{chunks}</span> })
            : t("noKeys")}
        </p>
      )}
      {page && (page.namespaces.length > 0 || page.direct) && (
        <Table
          columns={[
            { label: t("namespace") },
            { label: sampled ? t("estimatedKeys") : t("keys"), align: "right" },
            { label: t("memory"), align: "right" },
            { label: "TTL" },
            { label: t("largest") },
            { label: t("actions"), srOnly: true },
          ]}
          head="ruled"
          className="min-w-[40rem]"
          footer={
            page.otherNamespaces > 0 && (
              <p className="mt-2 text-xs text-slate-500">
                {t("smaller", { n: f.count(page.otherNamespaces) })}
              </p>
            )
          }
        >
          <tbody className="divide-y divide-slate-100">
            {page.namespaces.map((ns) => (
              <NamespaceRow
                key={ns.prefix}
                ns={ns}
                sampled={sampled}
                canFlush={canFlush}
                readOnlyReason={readOnlyReason}
                onOpen={() => setPrefix(ns.prefix)}
                onFlush={() => onFlush(ns.pattern)}
              />
            ))}
            {page.direct && (
              <tr data-testid="namespace-direct" className="align-top text-slate-600">
                <td className="py-2 pr-4 italic">{t("direct")}</td>
                <td className="py-2 pr-4 text-right tabular-nums">
                  {keysText(f, page.direct.estimatedKeys, sampled)}
                </td>
                <td className="py-2 pr-4 text-right tabular-nums">
                  {memoryText(f, page.direct.estimatedMemoryBytes, sampled)}
                </td>
                <td className="py-2 pr-4">
                  <TtlBar ttl={page.direct.ttl} />
                </td>
                <td className="py-2 pr-4">
                  <Largest entries={page.direct.largest} namespace={prefix} />
                </td>
                <td />
              </tr>
            )}
          </tbody>
        </Table>
      )}
    </Card>
  );
}

function NamespaceRow({
  ns,
  sampled,
  canFlush,
  readOnlyReason,
  onOpen,
  onFlush,
}: {
  ns: NamespaceSummary;
  sampled: boolean;
  canFlush: boolean;
  readOnlyReason: string;
  onOpen: () => void;
  onFlush: () => void;
}) {
  const t = useTranslations("cache.namespaces");
  const f = useFormat();
  return (
    <tr data-testid="namespace-row" data-name={ns.name} data-prefix={ns.prefix} className="align-top">
      <td className="py-2 pr-4">
        <button
          type="button"
          onClick={onOpen}
          className="text-brand-700 font-mono hover:underline"
          title={t("open", { prefix: ns.prefix })}
          translate="no"
        >
          {ns.prefix}
        </button>
      </td>
      <td className="py-2 pr-4 text-right tabular-nums" data-testid="namespace-keys">
        {keysText(f, ns.estimatedKeys, sampled)}
        {sampled && (
          <div className="text-xs text-slate-500">{t("sampledFrom", { n: f.count(ns.keysSeen) })}</div>
        )}
      </td>
      <td className="py-2 pr-4 text-right tabular-nums">{memoryText(f, ns.estimatedMemoryBytes, sampled)}</td>
      <td className="py-2 pr-4">
        <TtlBar ttl={ns.ttl} />
      </td>
      <td className="py-2 pr-4">
        <Largest entries={ns.largest} namespace={ns.prefix} />
      </td>
      <td className="py-2 text-right">
        <Button
          variant="secondary"
          className="px-2.5 py-1"
          onClick={onFlush}
          disabled={!canFlush}
          // The row names the namespace; a tooltip repeating its pattern would mix data into the words.
          title={canFlush ? undefined : readOnlyReason}
        >
          {t("flush")}
        </Button>
      </td>
    </tr>
  );
}

function Largest({ entries, namespace }: { entries: NamespaceSummary["largest"]; namespace: string }) {
  const f = useFormat();
  if (entries.length === 0) return <span className="text-slate-400">—</span>;
  return (
    <ul className="space-y-0.5 text-xs">
      {entries.slice(0, 3).map((entry) => (
        <li key={entry.ref} className="flex gap-2">
          <Link
            href={`/keys/${entry.ref}?${new URLSearchParams({ from: "cache", ns: namespace })}`}
            className="text-brand-700 max-w-64 truncate font-mono hover:underline"
            title={entry.key}
            translate="no"
          >
            {entry.key}
          </Link>
          <span className="text-slate-500 tabular-nums">{f.bytes(entry.memoryBytes)}</span>
        </li>
      ))}
    </ul>
  );
}
