"use client";

import { useTranslations } from "next-intl";
import { useEffect } from "react";
import type { ErrorKey, MessageValues } from "@/lib/errors";

// Errors made in the browser itself (a request that never reached the server, a body over the
// limit) read in the page's language like the server's. callAction is a plain function, not a
// component, so the page's translator for the `errors` messages is kept here while a page is open.

type Translate = (key: ErrorKey, values?: MessageValues) => string;

let current: Translate | undefined;

/** The message for `key` in the page's language (the root layout renders ClientErrors first). */
export function clientErrorText(key: ErrorKey, values?: MessageValues): string {
  return current ? current(key, values) : key;
}

/** The translator of the page's language: ClientErrors sets it; a test may set its own. */
export function setClientErrorTranslator(translate: Translate): void {
  current = translate;
}

/** Rendered once in the root layout: keeps the translator of the page's current language. */
export function ClientErrors() {
  const t = useTranslations("errors");
  useEffect(() => {
    setClientErrorTranslator((key, values) =>
      (t as (key: string, values?: MessageValues) => string)(key, values),
    );
  }, [t]);
  return null;
}
