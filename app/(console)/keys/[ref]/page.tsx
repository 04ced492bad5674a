import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { KeyView } from "@/components/keys/key-view";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { roleAllows } from "@/lib/auth/roles";
import { getSession } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { readKey, type KeyPage } from "@/lib/keys/read";
import { fromKeyRef } from "@/lib/redis/keys";
import { resolveConnectionId } from "@/lib/request-context";
import { MAX_TTL_SECONDS } from "@/lib/validation/keys";

export const metadata: Metadata = { title: "Key" };

export default async function KeyPageRoute({ params }: { params: Promise<{ ref: string }> }) {
  const session = await getSession();
  if (!session) redirect("/login");
  const [{ ref }, connectionId] = await Promise.all([params, resolveConnectionId()]);
  const key = fromKeyRef(ref);

  let page: KeyPage | null = null;
  let problem = "That link does not name a key. Open the key from the list.";
  if (key && key.length > 0) {
    try {
      page = await readKey(connectionId, key);
    } catch (error) {
      if (!isAppError(error)) throw error;
      problem = error.message;
    }
  }
  if (!page) {
    return (
      <>
        <PageHeader title="Key" />
        <Notice tone="error" title="This key cannot be opened">
          {problem}{" "}
          <Link href="/keys" className="underline">
            Back to the keys
          </Link>
        </Notice>
      </>
    );
  }
  return (
    <KeyView
      // Another key, or the same name on another connection, starts afresh.
      key={`${connectionId}:${ref}`}
      connectionId={connectionId}
      initial={page}
      canChange={roleAllows(session.role, "operator")}
      readOnlyReason={`Read-only: deleting keys and changing TTLs needs the operator role; you are signed in as ${session.role}.`}
      maxTtlSeconds={MAX_TTL_SECONDS}
    />
  );
}
