// The languages the console speaks, and how a request's language is chosen (DESIGN.md contract 12).
// No React and no server-only imports: the sign-in page, the shell and lib/ all read this.

export const LOCALES = ["en", "zh-CN"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";

/** The user's choice, set by the language switch (and at sign-in from the user's saved choice). */
export const LOCALE_COOKIE = "console_lang";

/** Each language's name written in itself, for the switch. */
export const LOCALE_NAMES: Record<Locale, string> = { en: "English", "zh-CN": "简体中文" };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/** The request's language: the user's choice (the cookie's value), else its Accept-Language. */
export function pickLocale(chosen: string | undefined, acceptLanguage: string | null | undefined): Locale {
  return isLocale(chosen) ? chosen : negotiateLocale(acceptLanguage);
}

/**
 * The best of our languages for an `Accept-Language` header, by its q-values: any `zh` that is not
 * Traditional (`zh`, `zh-CN`, `zh-Hans`, `zh-SG`) reads Simplified Chinese; any `en` reads English.
 */
export function negotiateLocale(acceptLanguage: string | null | undefined): Locale {
  if (!acceptLanguage) return DEFAULT_LOCALE;
  const ranges = acceptLanguage
    .slice(0, 1_000)
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((range) => range.tag && Number.isFinite(range.q) && range.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranges) {
    const locale = localeOfTag(tag);
    if (locale) return locale;
  }
  return DEFAULT_LOCALE;
}

function localeOfTag(tag: string): Locale | undefined {
  const [language, ...rest] = tag.split("-");
  if (language === "en") return "en";
  if (language === "zh") {
    const traditional = rest.some(
      (part) => part === "hant" || part === "tw" || part === "hk" || part === "mo",
    );
    return traditional ? undefined : "zh-CN";
  }
  return undefined;
}
