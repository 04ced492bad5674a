"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { callAction } from "@/components/actions/call-action";
import type { Result } from "@/lib/errors";

/** Runs a sign-out action and goes where it says (the sign-in page); an error stays on the page. */
export function useSignOut(action: () => Promise<Result<{ redirectTo: string }>>) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const signOut = () =>
    startTransition(async () => {
      const result = await callAction(action);
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      router.replace(result.data.redirectTo);
      router.refresh();
    });
  return { pending, error, signOut };
}
