"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { switchConnection } from "@/lib/actions/connection";
import { callAction } from "@/components/actions/call-action";

interface Props {
  connections: { id: string; name: string; address: string; tls: "none" | "verified" | "unverified" }[];
  currentId: string;
}

/** Said wherever the connection is named: its server's certificate is not checked. */
function UnverifiedTls({ tls }: { tls?: Props["connections"][number]["tls"] }) {
  const t = useTranslations("shell");
  if (tls !== "unverified") return null;
  return (
    <p className="mt-1 text-xs text-amber-300" data-testid="tls-unverified">
      {t("tlsUnverified")}
    </p>
  );
}

export function ConnectionSwitcher({ connections, currentId }: Props) {
  const t = useTranslations("shell");
  const router = useRouter();
  const queryClient = useQueryClient();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const current = connections.find((c) => c.id === currentId);

  if (connections.length < 2) {
    return (
      <div className="text-sm">
        <p className="text-xs tracking-wide text-slate-500 uppercase">{t("connection")}</p>
        <p className="font-medium text-white" translate="no">
          {current?.name}
        </p>
        <p className="truncate font-mono text-xs text-slate-400" title={current?.address} translate="no">
          {current?.address}
        </p>
        <UnverifiedTls tls={current?.tls} />
      </div>
    );
  }

  return (
    <div className="text-sm">
      <label htmlFor="connection-switcher" className="text-xs tracking-wide text-slate-500 uppercase">
        {t("connection")}
      </label>
      <select
        id="connection-switcher"
        value={currentId}
        disabled={pending}
        onChange={(event) => {
          const connectionId = event.target.value;
          setError(null);
          startTransition(async () => {
            const result = await callAction(switchConnection, { connectionId });
            if (!result.ok) {
              setError(result.error.message);
              return;
            }
            await queryClient.invalidateQueries();
            router.refresh();
          });
        }}
        className="bg-ink-800 mt-1 w-full rounded-md border border-white/10 px-2 py-1.5 text-white"
        translate="no"
      >
        {connections.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
      <p className="mt-1 truncate font-mono text-xs text-slate-400" title={current?.address} translate="no">
        {current?.address}
      </p>
      <UnverifiedTls tls={current?.tls} />
      {error && (
        <p role="alert" className="mt-1 text-xs text-red-300">
          {error}
        </p>
      )}
    </div>
  );
}
