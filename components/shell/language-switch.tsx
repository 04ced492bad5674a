"use client";

import { useLocale, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { callAction } from "@/components/actions/call-action";
import { setLanguage } from "@/lib/actions/language";
import { LOCALES, LOCALE_NAMES, isLocale } from "@/lib/i18n/locales";

/**
 * The interface's language. The choice is a cookie (and the signed-in user's saved setting); the
 * page is rendered again in place, so live data and what was typed stay as they are.
 */
export function LanguageSwitch({ tone = "dark" }: { tone?: "dark" | "light" }) {
  const t = useTranslations("language");
  const locale = useLocale();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const look =
    tone === "dark"
      ? { label: "text-slate-500", select: "bg-ink-800 border-white/10 text-white", error: "text-red-300" }
      : {
          label: "text-slate-500",
          select: "border-slate-300 bg-white text-slate-900",
          error: "text-red-700",
        };

  return (
    <div className="text-sm">
      <label htmlFor="language-switch" className={`text-xs tracking-wide uppercase ${look.label}`}>
        {t("label")}
      </label>
      <select
        id="language-switch"
        data-testid="language-switch"
        value={locale}
        disabled={pending}
        onChange={(event) => {
          const next = event.target.value;
          if (!isLocale(next)) return;
          setError(null);
          startTransition(async () => {
            const result = await callAction(setLanguage, { locale: next });
            if (!result.ok) {
              setError(t("switchFailed", { reason: result.error.message }));
              return;
            }
            router.refresh();
          });
        }}
        className={`mt-1 w-full rounded-md border px-2 py-1.5 ${look.select}`}
      >
        {LOCALES.map((option) => (
          // Each language is named in itself, for a reader who does not read the page's language.
          <option key={option} value={option} lang={option} translate="no">
            {LOCALE_NAMES[option]}
          </option>
        ))}
      </select>
      {error && (
        <p role="alert" className={`mt-1 text-xs ${look.error}`}>
          {error}
        </p>
      )}
    </div>
  );
}
