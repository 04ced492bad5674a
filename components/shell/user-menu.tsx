"use client";

import { useTranslations } from "next-intl";
import { useSignOut } from "@/components/auth/use-sign-out";
import { Button } from "@/components/ui/button";
import { signOut as signOutAction } from "@/lib/actions/auth";

export function UserMenu({
  username,
  role,
  anonymous,
}: {
  username: string;
  role: string;
  anonymous: boolean;
}) {
  const t = useTranslations("shell");
  const { pending, error, signOut } = useSignOut(signOutAction);
  const roleName =
    role === "viewer" || role === "operator" || role === "editor" || role === "admin"
      ? t(`roles.${role}`)
      : role;
  return (
    <div className="text-sm">
      <p className="font-medium text-white" data-testid="current-user" translate="no">
        {username}
      </p>
      <p className="text-xs text-slate-400">
        {t.rich("role", {
          role: () => (
            <span data-testid="current-role" data-role={role}>
              {roleName}
            </span>
          ),
        })}
      </p>
      {anonymous ? (
        <a href="/login" className="mt-2 inline-block text-xs text-slate-300 underline">
          {t("signIn")}
        </a>
      ) : (
        <Button variant="ghost" className="mt-2 -ml-3" disabled={pending} onClick={signOut}>
          {t("signOut")}
        </Button>
      )}
      {error && <p className="text-xs text-red-300">{error}</p>}
    </div>
  );
}
