"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { applySavedLocale } from "@/lib/auth/preferences";
import { clearSessionCookie } from "@/lib/auth/session";
import { endStoredSession, endStoredSessionsOf } from "@/lib/auth/session-store";
import { signInWithPassword } from "@/lib/auth/sign-in";
import { endLiveClientsOf, endLiveClientsOfSession } from "@/lib/live/browser-stream";
import { AppError } from "@/lib/errors";
import { endSessionSchema, signInSchema } from "@/lib/validation/auth";

export const signIn = defineAction({
  name: "signIn",
  role: "public",
  input: signInSchema,
  run: async ({ username, password, next }, { address }) => {
    await signInWithPassword(username, password, address);
    await applySavedLocale(username);
    return { redirectTo: next ?? "/" };
  },
});

/** Ends this session: the cookie goes, and the stored session, so a copy of the cookie is worthless. */
export const signOut = defineAction({
  name: "signOut",
  role: "viewer",
  input: z.object({}),
  run: async (_input, { session }) => {
    await clearSessionCookie();
    if (!session.anonymous) {
      await endStoredSession(session.id);
      endLiveClientsOfSession(session.id, "signedOut");
    }
    return { redirectTo: "/login" };
  },
  audit: () => ({ action: "auth.sign-out" }),
});

/** Ends every session of the signed-in user, on every device, this one included. */
export const signOutEverywhere = defineAction({
  name: "signOutEverywhere",
  role: "viewer",
  input: z.object({}),
  run: async (_input, { session }) => {
    if (session.anonymous) throw AppError.of("INVALID", "anonymousNoSessions");
    const ended = await endStoredSessionsOf(session.username);
    await clearSessionCookie();
    endLiveClientsOf(session.username, "signedOutEverywhere");
    return { redirectTo: "/login", ended };
  },
  audit: (_input, data) => ({ action: "auth.sign-out-everywhere", count: data?.ended }),
});

/** An admin ends someone's session (or their own). */
export const endSessionAction = defineAction({
  name: "endSessionAction",
  role: "admin",
  input: endSessionSchema,
  run: async ({ id }) => {
    const username = await endStoredSession(id);
    if (!username) throw AppError.of("NOT_FOUND", "sessionAlreadyEnded");
    endLiveClientsOfSession(id, "sessionEndedByAdmin");
    return { username };
  },
  audit: ({ id }, data) => ({
    action: "auth.session.end",
    target: data?.username ?? "unknown",
    detail: `session ${id.slice(0, 6)}…`,
  }),
});
