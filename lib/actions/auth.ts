"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { writeAudit } from "@/lib/audit";
import { verifyAgainstNothing, verifyPassword } from "@/lib/auth/password";
import { clearFailedSignIns, recordFailedSignIn, signInBlockedFor } from "@/lib/auth/rate-limit";
import { clearSessionCookie, createSessionToken, setSessionCookie } from "@/lib/auth/session";
import { findUser } from "@/lib/auth/users";
import { endLiveClientsOf } from "@/lib/live/client";
import { AppError } from "@/lib/errors";
import { signInSchema } from "@/lib/validation/auth";

export const signIn = defineAction({
  role: "public",
  input: signInSchema,
  run: async ({ username, password, next }, { address }) => {
    const waitMs = signInBlockedFor(username, address);
    if (waitMs > 0) {
      await writeAudit({
        action: "auth.sign-in",
        user: username,
        outcome: "refused",
        detail: "rate limited",
        address,
      });
      const minutes = Math.ceil(waitMs / 60_000);
      throw new AppError(
        "RATE_LIMITED",
        `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
      );
    }
    const user = await findUser(username);
    const valid = user
      ? await verifyPassword(password, user.passwordHash)
      : await verifyAgainstNothing(password);
    if (!user || !valid) {
      recordFailedSignIn(username, address);
      await writeAudit({ action: "auth.sign-in", user: username, outcome: "failed", address });
      throw new AppError("UNAUTHENTICATED", "Wrong username or password.");
    }
    clearFailedSignIns(username);
    await setSessionCookie(await createSessionToken(user.username, user.role));
    await writeAudit({
      action: "auth.sign-in",
      user: user.username,
      role: user.role,
      outcome: "ok",
      address,
    });
    return { redirectTo: next ?? "/" };
  },
});

export const signOut = defineAction({
  role: "viewer",
  input: z.object({}),
  run: async (_input, { session }) => {
    await clearSessionCookie();
    if (session && !session.anonymous) endLiveClientsOf(session.username, "You signed out.");
    return { redirectTo: "/login" };
  },
  audit: () => ({ action: "auth.sign-out" }),
});
