import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { LoginForm } from "@/components/auth/login-form";
import { LanguageSwitch } from "@/components/shell/language-switch";
import { getPageSession } from "@/lib/auth/session";
import { returnPathSchema } from "@/lib/validation/auth";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("auth");
  return { title: t("pageTitle") };
}

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string | string[] }>;
}) {
  const { next } = await searchParams;
  const returnTo = returnPathSchema.safeParse(next);
  const session = await getPageSession();
  if (session && !session.anonymous) redirect(returnTo.success ? returnTo.data : "/");
  const t = await getTranslations("shell");
  return (
    <main className="bg-ink-950 flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center justify-center gap-3 text-white">
          {/* eslint-disable-next-line @next/next/no-img-element -- a tiny static SVG */}
          <img src="/icon.svg" alt="" width={36} height={36} />
          <h1 className="text-xl font-semibold">{t("product")}</h1>
        </div>
        <LoginForm next={returnTo.success ? returnTo.data : undefined} />
        <div className="mx-auto mt-4 w-40">
          <LanguageSwitch />
        </div>
      </div>
    </main>
  );
}
