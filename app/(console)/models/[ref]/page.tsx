import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { redirect } from "next/navigation";
import { ModelView } from "@/components/models/model-view";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { roleAllows } from "@/lib/auth/roles";
import { getPageSession } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { errorTranslator } from "@/lib/i18n/server";
import { resolveKeyAddress } from "@/lib/keys/address";
import { getModelSummary, type ModelSummary } from "@/lib/models/summary";
import { displayBytes, fromKeyRef, toKeyRef } from "@/lib/redis/keys";
import { resolveConnectionId } from "@/lib/request-context";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("models.model");
  return { title: t("title") };
}

const TABS = ["parameters", "chart", "history"] as const;
type Tab = (typeof TABS)[number];

export default async function ModelPage({
  params,
  searchParams,
}: {
  params: Promise<{ ref: string }>;
  searchParams: Promise<{ tab?: string; cloned?: string }>;
}) {
  const session = await getPageSession();
  if (!session) redirect("/login");
  const [{ ref }, { tab, cloned }] = await Promise.all([params, searchParams]);
  const [connectionId, t] = await Promise.all([resolveConnectionId(), getTranslations("models.model")]);

  let summary: ModelSummary | null = null;
  let problem = t("badLink");
  try {
    const address = await resolveKeyAddress(connectionId, ref);
    // A plain or percent-encoded name opens the key at its canonical address.
    if (address.kind === "name") {
      redirect(`/models/${toKeyRef(address.key)}${tab ? `?${new URLSearchParams({ tab })}` : ""}`);
    }
    if (address.kind === "none") problem = address.message;
    else summary = await getModelSummary(connectionId, address.key);
  } catch (error) {
    if (!isAppError(error)) throw error;
    problem = error.toBody(await errorTranslator()).message;
  }
  if (!summary) {
    return (
      <>
        <PageHeader title={t("title")} />
        <Notice tone="error" title={t("cannotOpen")}>
          {problem}{" "}
          <Link href="/models" className="underline">
            {t("back")}
          </Link>
        </Notice>
      </>
    );
  }
  const canEdit = roleAllows(session.role, "editor");
  const clonedKey = cloned ? fromKeyRef(cloned) : null;
  return (
    <ModelView
      connectionId={connectionId}
      summary={summary}
      tab={TABS.includes(tab as Tab) ? (tab as Tab) : "parameters"}
      canEdit={canEdit}
      readOnlyReason={t("readOnly", { role: t(`roles.${session.role}`) })}
      clonedFrom={clonedKey && cloned ? { ref: cloned, key: displayBytes(clonedKey) } : null}
    />
  );
}
