import "server-only";
import { cookies } from "next/headers";
import { stateKey } from "@/lib/console-state";
import { LOCALE_COOKIE, isLocale, type Locale } from "@/lib/i18n/locales";
import { withState } from "@/lib/redis/gate";
import { recordOwnReads } from "@/lib/redis/own-reads";
import { cookiesAreSecure } from "@/lib/request-context";

// A user's own settings, kept in console state so they follow the user to every browser and every
// console instance:  <prefix>prefs:<username>  hash: lang

const LOCALE_COOKIE_MAX_AGE = 400 * 24 * 3600;

function prefsKey(username: string): string {
  return stateKey("prefs", username);
}

/** The language the user chose last, if any. */
export async function savedLocale(username: string): Promise<Locale | undefined> {
  const value = await withState(async (client) => {
    const reply = await client.hget(prefsKey(username), "lang");
    recordOwnReads(client, reply ? { hits: 1, misses: 0 } : { hits: 0, misses: 1 });
    return reply;
  });
  return isLocale(value) ? value : undefined;
}

export async function saveLocale(username: string, locale: Locale): Promise<void> {
  await withState((client) => client.hset(prefsKey(username), "lang", locale));
}

/** The browser's language from now on: a cookie every request reads (lib/i18n/request). */
export async function setLocaleCookie(locale: Locale): Promise<void> {
  (await cookies()).set(LOCALE_COOKIE, locale, {
    path: "/",
    sameSite: "lax",
    httpOnly: true,
    secure: await cookiesAreSecure(),
    maxAge: LOCALE_COOKIE_MAX_AGE,
  });
}

/**
 * At sign-in: the user's saved language becomes this browser's; a user without one keeps what
 * this browser chose (on the sign-in page, say), which is saved for them. Never fails a sign-in.
 */
export async function applySavedLocale(username: string): Promise<void> {
  try {
    const saved = await savedLocale(username);
    if (saved) return await setLocaleCookie(saved);
    const chosen = (await cookies()).get(LOCALE_COOKIE)?.value;
    if (isLocale(chosen)) await saveLocale(username, chosen);
  } catch {
    // Console state is unreachable: the sign-in itself has already succeeded; the language waits.
  }
}
