import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("pages");
  return { title: t("invalidAddressMeta") };
}

// The front door (lib/request/front-door) sends here any page address that is not valid
// percent-encoding (`/models/%%%garbage`), so it is answered inside the console, not with a bare 500.
export default async function NotValidAddressPage() {
  const t = await getTranslations("pages");
  const link = (href: string) =>
    function PageLink(chunks: React.ReactNode) {
      return (
        <Link href={href} className="underline">
          {chunks}
        </Link>
      );
    };
  return (
    <>
      <PageHeader title={t("invalidAddressTitle")} />
      <Notice tone="error" title={t("invalidAddressNotice")}>
        {t.rich("invalidAddress", {
          code: (chunks) => <code>{chunks}</code>,
          models: link("/models"),
          keys: link("/keys"),
        })}
      </Notice>
    </>
  );
}
