"use client";

import { useTranslations } from "next-intl";
import { useSignOut } from "@/components/auth/use-sign-out";
import { Button } from "@/components/ui/button";
import { signOutEverywhere } from "@/lib/actions/auth";

/** Ends every session of the signed-in user: a lost laptop or a shared browser stops working at once. */
export function SignOutEverywhere() {
  const t = useTranslations("auth");
  const { pending, error, signOut } = useSignOut(signOutEverywhere);
  return (
    <div className="flex flex-col items-end gap-1">
      <Button variant="secondary" disabled={pending} onClick={signOut}>
        {pending ? t("signingOut") : t("signOutEverywhere")}
      </Button>
      {error && <p className="text-xs text-red-700">{error}</p>}
    </div>
  );
}
