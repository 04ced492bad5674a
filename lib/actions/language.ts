"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { saveLocale, setLocaleCookie } from "@/lib/auth/preferences";
import { getSession } from "@/lib/auth/session";
import { setLanguageSchema } from "@/lib/validation/language";

/**
 * The interface's language: a cookie for this browser and, once signed in, the user's saved choice
 * (applied again at their next sign-in anywhere). Public, so the sign-in page has the switch too.
 */
export const setLanguage = defineAction({
  name: "setLanguage",
  role: "public",
  input: setLanguageSchema,
  run: async ({ locale }) => {
    await setLocaleCookie(locale);
    // Signed in, the choice goes with the user too; this browser has it already if that fails.
    const session = await getSession().catch(() => null);
    if (!session || session.anonymous) return { locale, saved: false };
    const saved = await saveLocale(session.username, locale).then(
      () => true,
      () => false,
    );
    return { locale, saved };
  },
});
