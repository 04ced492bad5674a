import "server-only";
import { createTranslator } from "use-intl/core";
import type { ErrorKey, ErrorTranslator, MessageValues } from "@/lib/errors";
import { LOCALE_COOKIE, pickLocale, type Locale } from "@/lib/i18n/locales";
import { messagesFor } from "@/lib/i18n/messages";

// What the wrappers (server actions, route handlers) need to answer in the caller's language.
// lib/i18n/request (next/headers) is loaded only when asked: the front door also reads this file,
// before Next runs, and so do the tests.

/** Error messages in the language of the request being answered. */
export async function errorTranslator(): Promise<ErrorTranslator> {
  const { requestLocale } = await import("@/lib/i18n/request");
  return errorTranslatorFor(await requestLocale().catch(() => "en" as const));
}

/** Error messages in one language, for answers made where no request scope exists (SSE, the front door). */
export function errorTranslatorFor(locale: Locale): ErrorTranslator {
  const t = createTranslator({ locale, messages: messagesFor(locale), namespace: "errors" });
  const translate = (key: ErrorKey, values?: MessageValues) =>
    (t as (key: string, values?: MessageValues) => string)(key, values);
  return Object.assign(translate, { locale });
}

/** The language of a request read from its raw headers, as lib/i18n/request decides it. */
export function localeOfHeaders(cookie: string | undefined, acceptLanguage: string | undefined): Locale {
  const chosen = cookie
    ?.split(";")
    .map((part) => part.trim().split("="))
    .find(([name]) => name === LOCALE_COOKIE)?.[1];
  return pickLocale(chosen === undefined ? undefined : safeDecode(chosen), acceptLanguage);
}

function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}
