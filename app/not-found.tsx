import Link from "next/link";
import { useTranslations } from "next-intl";

export default function NotFound() {
  const t = useTranslations("pages");
  return (
    <main className="flex min-h-screen flex-col items-center justify-center gap-3 text-center">
      <h1 className="text-2xl font-semibold">{t("notFoundTitle")}</h1>
      <p className="text-sm text-slate-600">{t("notFound")}</p>
      <Link href="/" className="text-brand-600 text-sm font-medium hover:underline">
        {t("backToOverview")}
      </Link>
    </main>
  );
}
