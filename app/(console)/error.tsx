"use client";

import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";

// Server errors reach the browser only as a digest; the page says what to do instead of going blank.
export default function ConsoleError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  const t = useTranslations("pages");
  return (
    <div className="flex max-w-2xl flex-col gap-4">
      <Notice tone="error" title={t("errorTitle")}>
        {error.digest ? t("errorBodyRef", { digest: error.digest }) : t("errorBody")}
      </Notice>
      <div>
        <Button onClick={reset}>{t("tryAgain")}</Button>
      </div>
    </div>
  );
}
