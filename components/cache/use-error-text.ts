"use client";

import { useTranslations } from "next-intl";
import type { ErrorBody } from "@/lib/errors";

/**
 * A stored error (a job's) in the reader's language: its message key when it has one, else the
 * text it was stored with. A job outlives the request that started it, so its words cannot be
 * fixed when it fails.
 */
export function useErrorText(): (error: ErrorBody) => string {
  const t = useTranslations("errors");
  return (error) => (error.key && t.has(error.key) ? t(error.key, error.values) : error.message);
}
