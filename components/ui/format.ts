// Figures read the same everywhere, in the reader's language: `useFormat()` in a component, or
// `formattersFor(locale)` (lib/i18n/format) where the locale is at hand. The plain functions below
// are the English forms, for code that is not shown to a person in a language (logs, tests).
import { useLocale } from "next-intl";
import { formattersFor, type Formatters } from "@/lib/i18n/format";
import { isLocale, DEFAULT_LOCALE } from "@/lib/i18n/locales";

/** The formatters of the page's language. */
export function useFormat(): Formatters {
  const locale = useLocale();
  return formattersFor(isLocale(locale) ? locale : DEFAULT_LOCALE);
}

const english = formattersFor("en");

export const formatBytes = english.bytes;
export const formatDuration = english.duration;
export const formatCount = english.count;
export const formatMeasure = english.measure;
export const formatTime = english.time;

/** "1 item", "3 items": the count as digits, the noun agreeing with it. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

export function formatPercent(ratio: number | null): string {
  return ratio === null ? "no reads yet" : english.percent(ratio);
}
