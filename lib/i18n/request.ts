import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { LOCALE_COOKIE, pickLocale, type Locale } from "@/lib/i18n/locales";
import { messagesFor } from "@/lib/i18n/messages";

// next-intl's per-request configuration (wired by the plugin in next.config.js): the user's choice
// in its cookie, else the browser's Accept-Language, else English. No locale in the URL: links,
// bookmarks and the API stay the same in every language.

export async function requestLocale(): Promise<Locale> {
  return pickLocale((await cookies()).get(LOCALE_COOKIE)?.value, (await headers()).get("accept-language"));
}

export default getRequestConfig(async () => {
  const locale = await requestLocale();
  // Times are shown in UTC everywhere, so the server and every browser render the same text.
  return { locale, messages: messagesFor(locale), timeZone: "UTC" };
});
