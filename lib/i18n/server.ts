import "server-only";
import { createTranslator } from "use-intl/core";
import type { ErrorKey, ErrorTranslator, MessageValues } from "@/lib/errors";
import { messagesFor } from "@/lib/i18n/messages";
import { requestLocale } from "@/lib/i18n/request";

// What the wrappers (server actions, route handlers) need to answer in the caller's language.

/** Error messages in the language of the request being answered. */
export async function errorTranslator(): Promise<ErrorTranslator> {
  const locale = await requestLocale().catch(() => "en" as const);
  const t = createTranslator({ locale, messages: messagesFor(locale), namespace: "errors" });
  return (key: ErrorKey, values?: MessageValues) =>
    (t as (key: string, values?: MessageValues) => string)(key, values);
}
