import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { ModelView } from "@/components/models/model-view";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { roleAllows } from "@/lib/auth/roles";
import { getSession } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { getModelSummary, type ModelSummary } from "@/lib/models/summary";
import { fromKeyRef } from "@/lib/redis/keys";
import { resolveConnectionId } from "@/lib/request-context";

export const metadata: Metadata = { title: "Model" };

const TABS = ["parameters", "chart", "history"] as const;
type Tab = (typeof TABS)[number];

export default async function ModelPage({
  params,
  searchParams,
}: {
  params: Promise<{ ref: string }>;
  searchParams: Promise<{ tab?: string }>;
}) {
  const session = await getSession();
  if (!session) redirect("/login");
  const [{ ref }, { tab }] = await Promise.all([params, searchParams]);
  const connectionId = await resolveConnectionId();
  const key = fromKeyRef(ref);

  let summary: ModelSummary | null = null;
  let problem: string | null = key ? null : "That link does not name a key. Open the model from the list.";
  if (key) {
    try {
      summary = await getModelSummary(connectionId, key);
    } catch (error) {
      if (!isAppError(error)) throw error;
      problem = error.message;
    }
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
  return (
    <ModelView
      connectionId={connectionId}
      summary={summary}
      tab={TABS.includes(tab as Tab) ? (tab as Tab) : "parameters"}
      canEdit={canEdit}
      readOnlyReason={`Read-only: editing parameters needs the editor role; you are signed in as ${session.role}.`}
    />
  );
}
