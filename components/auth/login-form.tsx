"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { signIn } from "@/lib/actions/auth";
import { callAction } from "@/components/actions/call-action";

export function LoginForm({ next }: { next?: string }) {
  const t = useTranslations("auth");
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const username = String(form.get("username") ?? "");
    const password = String(form.get("password") ?? "");
    setError(null);
    startTransition(async () => {
      const result = await callAction(signIn, { username, password, next });
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      router.replace(result.data.redirectTo);
      router.refresh();
    });
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-4 rounded-xl bg-white p-6 shadow-xl" noValidate>
      <h2 className="text-lg font-semibold text-slate-900">{t("signInTitle")}</h2>
      {error && <Notice tone="error">{error}</Notice>}
      <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
        {t("username")}
        <input
          name="username"
          autoComplete="username"
          required
          autoFocus
          className="focus:border-brand-500 focus:ring-brand-100 rounded-lg border border-slate-300 px-3 py-2 font-normal focus:ring-2 focus:outline-none"
        />
      </label>
      <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
        {t("password")}
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          required
          className="focus:border-brand-500 focus:ring-brand-100 rounded-lg border border-slate-300 px-3 py-2 font-normal focus:ring-2 focus:outline-none"
        />
      </label>
      <Button type="submit" disabled={pending}>
        {pending ? t("signingIn") : t("signIn")}
      </Button>
    </form>
  );
}
