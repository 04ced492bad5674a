import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { ModelView } from "@/components/models/model-view";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { roleAllows } from "@/lib/auth/roles";
import { getSession } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { resolveKeyAddress } from "@/lib/keys/address";
import { getModelSummary, type ModelSummary } from "@/lib/models/summary";
import { displayBytes, fromKeyRef, toKeyRef } from "@/lib/redis/keys";
import { resolveConnectionId } from "@/lib/request-context";

export const metadata: Metadata = { title: "Model" };

const TABS = ["parameters", "chart", "history"] as const;
type Tab = (typeof TABS)[number];

export default async function ModelPage({
  params,
  searchParams,
}: {
  params: Promise<{ ref: string }>;
  searchParams: Promise<{ tab?: string; cloned?: string }>;
}) {
  const session = await getSession();
  if (!session) redirect("/login");
  const [{ ref }, { tab, cloned }] = await Promise.all([params, searchParams]);
  const connectionId = await resolveConnectionId();

  let summary: ModelSummary | null = null;
  let problem = "That link does not name a key. Open the model from the list.";
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
    problem = error.message;
  }
  if (!summary) {
    return (
      <>
        <PageHeader title="Model" />
        <Notice tone="error" title="This model cannot be opened">
          {problem}{" "}
          <Link href="/models" className="underline">
            Back to the models
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
      readOnlyReason={`Read-only: editing parameters needs the editor role; you are signed in as ${session.role}.`}
      clonedFrom={clonedKey && cloned ? { ref: cloned, key: displayBytes(clonedKey) } : null}
    />
  );
}
