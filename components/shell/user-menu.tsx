"use client";

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
  const { pending, error, signOut } = useSignOut(signOutAction);
  return (
    <div className="text-sm">
      <p className="font-medium text-white" data-testid="current-user">
        {username}
      </p>
      <p className="text-xs text-slate-400">
        Role: <span data-testid="current-role">{role}</span>
      </p>
      {anonymous ? (
        <a href="/login" className="mt-2 inline-block text-xs text-slate-300 underline">
          Sign in
        </a>
      ) : (
        <Button variant="ghost" className="mt-2 -ml-3" disabled={pending} onClick={signOut}>
          Sign out
        </Button>
      )}
      {error && <p className="text-xs text-red-300">{error}</p>}
    </div>
  );
}
