// Figures read the same everywhere, in the reader's language: `useFormat()` in a component, or
// `formattersFor(locale)` (lib/i18n/format) where the locale is at hand (server components).
import { useLocale } from "next-intl";
import { formattersFor, type Formatters } from "@/lib/i18n/format";

/** The formatters of the page's language. */
export function useFormat(): Formatters {
  return formattersFor(useLocale());
}
