import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { KeyView } from "@/components/keys/key-view";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { roleAllows } from "@/lib/auth/roles";
import { getPageSession } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { errorTranslator } from "@/lib/i18n/server";
import { resolveKeyAddress } from "@/lib/keys/address";
import { defaultDelimiter } from "@/lib/keys/list";
import { readKey, type KeyPage } from "@/lib/keys/read";
import { toKeyRef } from "@/lib/redis/keys";
import { resolveConnectionId } from "@/lib/request-context";
import { MAX_TTL_SECONDS } from "@/lib/validation/keys";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("keys.page");
  return { title: t("keyTitle") };
}

export default async function KeyPageRoute({
  params,
  searchParams,
}: {
  params: Promise<{ ref: string }>;
  searchParams: Promise<{ from?: string; ns?: string }>;
}) {
  const session = await getPageSession();
  if (!session) redirect("/login");
  const [{ ref }, { from, ns }, connectionId] = await Promise.all([
    params,
    searchParams,
    resolveConnectionId(),
  ]);

  const t = await getTranslations("keys.page");
  let page: KeyPage | null = null;
  let problem = t("noKey");
  try {
    const address = await resolveKeyAddress(connectionId, ref);
    // A plain or percent-encoded name opens the key at its canonical address.
    if (address.kind === "name") redirect(`/keys/${toKeyRef(address.key)}`);
    if (address.kind === "none") problem = address.message;
    else page = await readKey(connectionId, address.key);
  } catch (error) {
    if (!isAppError(error)) throw error;
    problem = error.toBody(await errorTranslator()).message;
  }
  if (!page) {
    return (
      <>
        <PageHeader title={t("keyTitle")} />
        <Notice tone="error" title={t("cannotOpen")}>
          {problem}{" "}
          <Link href="/keys" className="underline">
            {t("back")}
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
      readOnlyReason={t("readOnly", { role: t(`roles.${session.role}`) })}
      maxTtlSeconds={MAX_TTL_SECONDS}
      delimiter={defaultDelimiter()}
      origin={
        from === "cache"
          ? { from: "cache", namespace: typeof ns === "string" ? ns : undefined }
          : { from: "keys" }
      }
    />
  );
}
