import en from "@/lib/i18n/messages/en.json";
import zhCN from "@/lib/i18n/messages/zh-CN.json";
import type { Locale } from "@/lib/i18n/locales";

// One file per language with the same keys (tests/unit/i18n-messages.test.ts holds them to it).

export type Messages = typeof en;

const MESSAGES: Record<Locale, Messages> = { en, "zh-CN": zhCN };

export function messagesFor(locale: Locale): Messages {
  return MESSAGES[locale];
}
